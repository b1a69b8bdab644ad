using System.Web;
using ConfluenceConnector.Core.Http;

namespace ConfluenceConnector.Core.Confluence;

/// <summary>
/// The site's rate-limit quota as Confluence last reported it (limit, points remaining, reset time, window), shared by
/// every call of the process. It spends the quota evenly over the window: a call waits while more points are spent
/// than the time elapsed in the window allows, counting the calls in flight at the most they can cost
/// (<see cref="MostPoints"/>: their answers are not in the count yet) and keeping <see cref="ReserveFraction"/> in hand,
/// and waits for the reset once nothing is left. Until quota headers are seen (Basic auth: burst limits only) it never
/// delays. Burst limits are per endpoint, and paced by <see cref="EndpointPacer"/>.
/// </summary>
public sealed class ConfluenceBudget(TimeProvider timeProvider)
{
    /// <summary>Share of the quota kept back from pacing, for calls in flight whose cost is not reported yet.</summary>
    public const double ReserveFraction = 0.1;

    /// <summary>Window assumed when the policy header does not say (Confluence's quota is hourly).</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    /// <summary>Reset times this close are the same window's (the header is rounded, and clocks differ).</summary>
    private static readonly TimeSpan SameReset = TimeSpan.FromSeconds(1);

    private readonly object gate = new();
    private long inFlight;
    private long? limit;
    private long? remaining;
    private DateTimeOffset? resetAt;
    private TimeSpan window = DefaultWindow;

    /// <summary>
    /// Takes the signals of a response. A later reset time starts a new window; within a window the lowest remaining
    /// count wins; an answer of an earlier window (sent before the reset, answered after a later one was seen) says
    /// nothing of this window and is ignored: with many calls in flight at a reset, taking its low count would stop the
    /// new window for nothing.
    /// </summary>
    public void Observe(RateLimitSignals signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        if (!signals.HasQuota)
        {
            return;
        }

        lock (gate)
        {
            limit = signals.Limit ?? limit;
            window = signals.Window ?? window;
            if (resetAt is null || signals.ResetAt > resetAt.Value + SameReset)
            {
                resetAt = signals.ResetAt;
                remaining = signals.Remaining;
            }
            else if (signals.ResetAt < resetAt.Value - SameReset)
            {
                return;
            }
            else
            {
                remaining = Math.Min(remaining ?? long.MaxValue, signals.Remaining!.Value);
            }
        }
    }

    /// <summary>Points left and when the window resets, as last reported (null before any quota header).</summary>
    public (long? Remaining, DateTimeOffset? ResetAt) Current
    {
        get
        {
            lock (gate)
            {
                return (remaining, resetAt);
            }
        }
    }

    /// <summary>
    /// The most points <paramref name="request"/> can cost: one for the request, and one per object of the page it
    /// asks for (its <c>limit</c>), or one object when it asks for no list.
    /// </summary>
    public static long MostPoints(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var asked = HttpUtility.ParseQueryString(request.RequestUri?.Query ?? string.Empty).GetValues("limit")?[0];
        return long.TryParse(asked, out var limit) && limit > 0 ? 1 + limit : 2;
    }

    /// <summary>A call that may cost <paramref name="points"/> is on its way: counted as spent until <see cref="Answered"/>.</summary>
    public void Sent(long points) => Interlocked.Add(ref inFlight, points);

    /// <summary>The call counted by <see cref="Sent"/> was answered (or failed): its cost is in the headers now.</summary>
    public void Answered(long points) => Interlocked.Add(ref inFlight, -points);

    /// <summary>How long the next call should wait to keep to an even spend; zero when it may go now.</summary>
    public TimeSpan DelayBeforeRequest()
    {
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            if (resetAt is not { } reset || remaining is not { } left || now >= reset)
            {
                return TimeSpan.Zero;
            }

            var untilReset = reset - now;
            if (left <= 0)
            {
                return untilReset;
            }

            if (limit is not { } total || total <= 0)
            {
                return TimeSpan.Zero;
            }

            var paced = total * (1 - ReserveFraction);
            var used = total - left + Interlocked.Read(ref inFlight);
            if (used >= paced)
            {
                return untilReset;
            }

            var windowStart = reset - window;
            var due = windowStart + (window * (used / paced));
            return due > now ? Min(due - now, untilReset) : TimeSpan.Zero;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
