using ConfluenceConnector.Core.Http;

namespace ConfluenceConnector.Core.Confluence;

/// <summary>
/// The site's rate-limit quota as Confluence last reported it (limit, points remaining, reset time, window), shared by
/// every call of the process. It spends the quota evenly over the window: a call waits while more points are spent
/// than the time elapsed in the window allows (keeping <see cref="ReserveFraction"/> in hand for calls in flight), and
/// waits for the reset once nothing is left. Until quota headers are seen (Basic auth: burst limits only) it never
/// delays. Burst limits are per endpoint, and paced by <see cref="EndpointPacer"/>.
/// </summary>
public sealed class ConfluenceBudget(TimeProvider timeProvider)
{
    /// <summary>Share of the quota kept back from pacing, for calls in flight whose cost is not reported yet.</summary>
    public const double ReserveFraction = 0.1;

    /// <summary>Window assumed when the policy header does not say (Confluence's quota is hourly).</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    private readonly object gate = new();
    private long? limit;
    private long? remaining;
    private DateTimeOffset? resetAt;
    private TimeSpan window = DefaultWindow;

    /// <summary>Takes the signals of a response. A later reset time starts a new window; within a window the lowest remaining count wins.</summary>
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
            if (resetAt is null || signals.ResetAt > resetAt.Value + TimeSpan.FromSeconds(1))
            {
                resetAt = signals.ResetAt;
                remaining = signals.Remaining;
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
            var used = total - left;
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
