using System.Globalization;
using System.Net.Http.Headers;

namespace ConfluenceConnector.Core.Http;

/// <summary>
/// Everything a Confluence response says about rate limits: <c>Retry-After</c>, <c>X-RateLimit-Limit/Remaining/Reset</c>,
/// <c>X-RateLimit-NearLimit</c>, <c>RateLimit-Reason</c>, <c>RateLimit-Policy</c> (<c>q</c>, <c>w</c>) and <c>RateLimit</c>
/// (<c>r</c>, <c>t</c>), each also under its <c>Beta-</c> prefix (sent before enforcement).
/// </summary>
public sealed record RateLimitSignals(
    TimeSpan? RetryAfter,
    long? Limit,
    long? Remaining,
    DateTimeOffset? ResetAt,
    TimeSpan? Window,
    bool NearLimit,
    string? Reason)
{
    /// <summary>No rate-limit header at all.</summary>
    public static readonly RateLimitSignals None = new(null, null, null, null, null, false, null);

    /// <summary>The reason names a points quota (<c>confluence-quota-global-based</c>, <c>...-tenant-based</c>, matched loosely).</summary>
    public bool IsQuota => Reason?.Contains("quota", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Remaining points and the reset time are both known: the response can feed a budget.</summary>
    public bool HasQuota => Remaining is not null && ResetAt is not null;

    /// <summary>
    /// How long to wait before trying again: <c>Retry-After</c> on any answer; on a 429 (<paramref name="throttled"/>)
    /// without it, the time until <c>X-RateLimit-Reset</c>; null when no header says (the caller backs off).
    /// </summary>
    public TimeSpan? RetryDelay(bool throttled, DateTimeOffset now)
    {
        if (RetryAfter is { } after)
        {
            return after;
        }

        return throttled && ResetAt is { } reset && reset > now ? reset - now : null;
    }

    /// <summary>Reads the headers of <paramref name="headers"/>; relative times are taken from <paramref name="now"/>.</summary>
    public static RateLimitSignals Read(HttpResponseHeaders headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        string? Get(string name) =>
            headers.TryGetValues(name, out var values) || headers.TryGetValues("Beta-" + name, out values)
                ? string.Join(',', values)
                : null;

        var retryAfter = ParseRetryAfter(Get("Retry-After"), now);
        var limit = ParseLong(Get("X-RateLimit-Limit"));
        var remaining = ParseLong(Get("X-RateLimit-Remaining"));
        var reset = ParseReset(Get("X-RateLimit-Reset"), now);
        TimeSpan? window = null;

        if (Get("RateLimit-Policy") is { } policy && Parameters(policy).FirstOrDefault(p => p.ContainsKey("q")) is { } quota)
        {
            limit ??= ParseLong(quota.GetValueOrDefault("q"));
            window = ParseLong(quota.GetValueOrDefault("w")) is { } w && w > 0 ? TimeSpan.FromSeconds(w) : null;
        }

        if (Get("RateLimit") is { } rateLimit)
        {
            // Several policies may be reported: the one with the fewest points left binds.
            var tightest = Parameters(rateLimit)
                .Select(p => (R: ParseLong(p.GetValueOrDefault("r")), T: ParseDouble(p.GetValueOrDefault("t"))))
                .Where(p => p.R is not null)
                .OrderBy(p => p.R)
                .FirstOrDefault();
            if (tightest.R is not null)
            {
                remaining = remaining is null ? tightest.R : Math.Min(remaining.Value, tightest.R.Value);
                reset ??= tightest.T is { } t && t >= 0 ? now + TimeSpan.FromSeconds(t) : null;
            }
        }

        var nearLimit = string.Equals(Get("X-RateLimit-NearLimit")?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        var reason = Get("RateLimit-Reason")?.Trim();
        return new RateLimitSignals(retryAfter, limit, remaining, reset, window, nearLimit, string.IsNullOrEmpty(reason) ? null : reason);
    }

    /// <summary>Seconds (whole or decimal) or an HTTP date.</summary>
    private static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (ParseDouble(value) is { } seconds)
        {
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
        }

        return DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? (date > now ? date - now : TimeSpan.Zero)
            : null;
    }

    /// <summary>An ISO-8601 (or HTTP) date, epoch seconds, or seconds from now.</summary>
    private static DateTimeOffset? ParseReset(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (ParseDouble(value) is { } number)
        {
            return number > 1_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds((long)(number * 1000)) : now + TimeSpan.FromSeconds(Math.Max(0, number));
        }

        return DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;
    }

    /// <summary>Structured-field items (<c>"name";k=v;k=v, "other";k=v</c>) as parameter maps.</summary>
    private static IEnumerable<Dictionary<string, string>> Parameters(string header) =>
        header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(item => item.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(part => part.Split('=', 2, StringSplitOptions.TrimEntries))
                .Where(kv => kv.Length == 2)
                .GroupBy(kv => kv[0].ToLowerInvariant())
                .ToDictionary(g => g.Key, g => g.First()[1].Trim('"')));

    private static long? ParseLong(string? value) =>
        long.TryParse(value?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static double? ParseDouble(string? value) =>
        double.TryParse(value?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) ? n : null;
}
