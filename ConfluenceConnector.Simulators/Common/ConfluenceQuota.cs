using System.Globalization;

namespace ConfluenceConnector.Simulators.Common;

/// <summary>
/// Confluence's hourly points quota of an OAuth app, time-scaled: <see cref="QuotaSpec.Points"/> points per
/// <see cref="QuotaSpec.Window"/>, windows aligned to the first request. Every answer carries the quota headers
/// (<c>X-RateLimit-Limit/Remaining/Reset</c>, <c>X-RateLimit-NearLimit</c>, <c>RateLimit-Policy</c>, <c>RateLimit</c>);
/// once the window's points are spent, every call is refused with 429, <c>Retry-After</c> and
/// <c>RateLimit-Reason: confluence-quota-global-based</c> until the reset.
/// </summary>
public sealed class ConfluenceQuota(QuotaSpec spec, PointsCounter points, TimeProvider timeProvider)
{
    private readonly object gate = new();
    private DateTimeOffset? windowStart;
    private long pointsAtWindowStart;
    private long refusals;

    public QuotaSpec Spec { get; } = spec;

    /// <summary>Calls refused because the window's points were spent (the "wall").</summary>
    public long Refusals => Interlocked.Read(ref refusals);

    /// <summary>Windows started so far.</summary>
    public int Windows { get; private set; }

    /// <summary>Admits the call (adding the quota headers to its answer) or answers 429 and returns false.</summary>
    internal async Task<bool> AdmitAsync(HttpContext http, Func<HttpContext, Task> writeRefusal)
    {
        DateTimeOffset reset;
        long used;
        lock (gate)
        {
            var now = timeProvider.GetUtcNow();
            if (windowStart is null)
            {
                windowStart = now;
                pointsAtWindowStart = points.Total;
                Windows = 1;
            }

            while (now >= windowStart.Value + Spec.Window)
            {
                windowStart += Spec.Window;
                pointsAtWindowStart = points.Total;
                Windows++;
            }

            reset = windowStart.Value + Spec.Window;
            used = points.Total - pointsAtWindowStart;
        }

        if (used >= Spec.Points)
        {
            Interlocked.Increment(ref refusals);
            var seconds = Math.Max(1, (int)Math.Ceiling((reset - timeProvider.GetUtcNow()).TotalSeconds));
            WriteHeaders(http, 0, reset);
            http.Response.Headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["RateLimit-Reason"] = "confluence-quota-global-based";
            await writeRefusal(http);
            return false;
        }

        http.Response.OnStarting(() =>
        {
            long remaining;
            lock (gate)
            {
                remaining = reset == windowStart + Spec.Window ? Math.Max(0, Spec.Points - (points.Total - pointsAtWindowStart)) : Spec.Points;
            }

            WriteHeaders(http, remaining, reset);
            return Task.CompletedTask;
        });
        return true;
    }

    private void WriteHeaders(HttpContext http, long remaining, DateTimeOffset reset)
    {
        var seconds = Math.Max(0, (int)Math.Ceiling((reset - timeProvider.GetUtcNow()).TotalSeconds));
        var headers = http.Response.Headers;
        headers["X-RateLimit-Limit"] = Spec.Points.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = reset.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        headers["RateLimit-Policy"] = $"\"global-app-quota\";q={Spec.Points};w={(int)Math.Ceiling(Spec.Window.TotalSeconds)}";
        headers["RateLimit"] = $"\"global-app-quota\";r={remaining};t={seconds}";
        if (remaining < Spec.Points / 5)
        {
            headers["X-RateLimit-NearLimit"] = "true";
        }
    }
}
