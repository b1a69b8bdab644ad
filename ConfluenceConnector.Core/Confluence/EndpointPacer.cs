using System.Text.RegularExpressions;

namespace ConfluenceConnector.Core.Confluence;

/// <summary>
/// Confluence's burst limits, learned per endpoint (they are unpublished and count per endpoint): a burst 429 holds
/// back the calls to that endpoint, and only that one, for as long as the 429 asked, and from then on the endpoint's
/// calls are spaced at <see cref="Backoff"/> × the rate Confluence was accepting in the second before the 429, so that
/// the limit is approached instead of hit again and again (each hit costs a whole Retry-After of that endpoint). The
/// rate creeps up by <see cref="Growth"/> of the rate set at the 429 per second without one, to find a limit that rose or was
/// under-estimated, and an endpoint that has gone <see cref="ForgetAfter"/> without a 429 is not paced at all any more.
/// Endpoints that never answered a burst 429 are never delayed. Shared by every Confluence call of the process.
/// </summary>
public sealed partial class EndpointPacer(TimeProvider timeProvider)
{
    /// <summary>Share of the accepted rate the endpoint is paced at after a burst 429.</summary>
    public const double Backoff = 0.9;

    /// <summary>Growth of the paced rate per second without a burst 429, as a share of the rate set at the last one.</summary>
    public const double Growth = 0.002;

    /// <summary>
    /// Calls accepted in the second before a burst 429 below which the 429 is not taken as the endpoint's rate (a quiet
    /// endpoint refused for some other reason): it is held, not paced.
    /// </summary>
    public const int MinLearnedRate = 10;

    /// <summary>How long without a burst 429 before an endpoint's learned rate is dropped.</summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan Trailing = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, Pace> endpoints = new(StringComparer.Ordinal);

    /// <summary>
    /// The endpoint a request calls, as burst limits count it: method and path with the ids taken out
    /// (<c>GET /wiki/api/v2/pages/{id}/labels</c>).
    /// </summary>
    public static string EndpointOf(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Method.Method + " " + IdSegment().Replace(request.RequestUri?.AbsolutePath ?? string.Empty, "/{id}");
    }

    /// <summary>
    /// Takes the next call's turn at <paramref name="endpoint"/> and says how long to wait for it: the rest of a hold,
    /// then the spacing of a paced endpoint; zero for an endpoint with neither.
    /// </summary>
    public TimeSpan Reserve(string endpoint)
    {
        var now = timeProvider.GetUtcNow();
        lock (endpoints)
        {
            if (!endpoints.TryGetValue(endpoint, out var pace))
            {
                return TimeSpan.Zero;
            }

            var turn = Max(now, Max(pace.HeldUntil, pace.NextTurn));
            if (pace.RateAt(now) is { } rate)
            {
                pace.NextTurn = turn + TimeSpan.FromSeconds(1 / rate);
            }

            return turn - now;
        }
    }

    /// <summary>Counts a call <paramref name="endpoint"/> accepted (any answer but 429): the rate a later 429 is measured against.</summary>
    public void Accepted(string endpoint)
    {
        var now = timeProvider.GetUtcNow();
        lock (endpoints)
        {
            var pace = PaceOf(endpoint);
            pace.Accepted.Enqueue(now);
            pace.Trim(now);
        }
    }

    /// <summary>Holds the calls to <paramref name="endpoint"/> for <paramref name="wait"/> (never shortening a hold), without pacing it (a short quota 429).</summary>
    public void Hold(string endpoint, TimeSpan wait)
    {
        var now = timeProvider.GetUtcNow();
        lock (endpoints)
        {
            var pace = PaceOf(endpoint);
            pace.HeldUntil = Max(pace.HeldUntil, now + wait);
        }
    }

    /// <summary>
    /// A burst 429 at <paramref name="endpoint"/>: holds its calls for <paramref name="wait"/> (never shortening a hold)
    /// and, when it accepted at least <see cref="MinLearnedRate"/> calls in the last second, paces it from then on at
    /// <see cref="Backoff"/> × that count (or × its paced rate, when that is lower). The 429s of the calls that were already
    /// in flight (those of the second after the rate was set) hold, but do not lower the rate again.
    /// </summary>
    public void Throttled(string endpoint, TimeSpan wait)
    {
        var now = timeProvider.GetUtcNow();
        lock (endpoints)
        {
            var pace = PaceOf(endpoint);
            pace.Trim(now);
            pace.HeldUntil = Max(pace.HeldUntil, now + wait);
            var accepted = pace.Accepted.Count / Trailing.TotalSeconds;
            if (accepted < MinLearnedRate || (pace.Rate is not null && now - pace.RateSetAt < Trailing))
            {
                return;
            }

            var current = pace.RateAt(now) is { } paced ? Math.Min(paced, accepted) : accepted;
            pace.Rate = Math.Max(MinLearnedRate, Backoff * current);
            pace.RateSetAt = now;
        }
    }

    /// <summary>The rate <paramref name="endpoint"/> is paced at now, in calls per second; null when it is not paced.</summary>
    public double? RateOf(string endpoint)
    {
        var now = timeProvider.GetUtcNow();
        lock (endpoints)
        {
            return endpoints.TryGetValue(endpoint, out var pace) ? pace.RateAt(now) : null;
        }
    }

    private Pace PaceOf(string endpoint)
    {
        if (!endpoints.TryGetValue(endpoint, out var pace))
        {
            pace = new Pace();
            endpoints[endpoint] = pace;
        }

        return pace;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    [GeneratedRegex(@"/(att)?\d+(?=/|$)")]
    private static partial Regex IdSegment();

    private sealed class Pace
    {
        public Queue<DateTimeOffset> Accepted { get; } = new();

        public double? Rate { get; set; }

        public DateTimeOffset RateSetAt { get; set; }

        public DateTimeOffset HeldUntil { get; set; }

        public DateTimeOffset NextTurn { get; set; }

        /// <summary>The paced rate at <paramref name="now"/>: the rate set at the last 429, grown since; null once forgotten.</summary>
        public double? RateAt(DateTimeOffset now)
        {
            if (Rate is not { } rate)
            {
                return null;
            }

            var since = now - RateSetAt;
            if (since >= ForgetAfter)
            {
                Rate = null;
                return null;
            }

            return rate * (1 + (Growth * since.TotalSeconds));
        }

        public void Trim(DateTimeOffset now)
        {
            while (Accepted.Count > 0 && Accepted.Peek() <= now - Trailing)
            {
                Accepted.Dequeue();
            }
        }
    }
}
