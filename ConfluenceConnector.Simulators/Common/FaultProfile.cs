using System.Globalization;

namespace ConfluenceConnector.Simulators.Common;

/// <summary>
/// Faults a simulator injects on its own, switchable from options (tests) or settings (<c>--Demo:FaultProfile=name</c>).
/// Every "every N" fault is deterministic: the Nth, 2Nth, ... matching request (counted per endpoint where noted),
/// so that a retry of the same request is not faulted again and a test knows exactly what was injected.
/// </summary>
public sealed class FaultProfile
{
    /// <summary>The names <see cref="Parse"/> accepts.</summary>
    public static readonly IReadOnlyList<string> Names = ["none", "quota", "burst", "flaky", "slow", "recordpoint"];

    public string Name { get; init; } = "custom";

    /// <summary>Confluence: the OAuth app's points quota (exact headers, time-scaled window); null = no quota.</summary>
    public QuotaSpec? Quota { get; init; }

    /// <summary>Confluence: every Nth request of each endpoint answers 429 with no Retry-After (a burst limit); 0 = off.</summary>
    public int BurstEvery { get; init; }

    /// <summary>Confluence: every Nth request of each endpoint answers 429 with Retry-After: 1; 0 = off.</summary>
    public int RetryAfterEvery { get; init; }

    /// <summary>Confluence: every Nth request answers 503; 0 = off.</summary>
    public int ServiceUnavailableEvery { get; init; }

    /// <summary>Confluence: every Nth request is dropped (the connection is reset, no answer); 0 = off.</summary>
    public int DropEvery { get; init; }

    /// <summary>Confluence: every Nth GET answers 200 with a truncated JSON body; 0 = off.</summary>
    public int MalformedEvery { get; init; }

    /// <summary>Confluence: every Nth request answers only after <see cref="SlowBy"/>; 0 = off.</summary>
    public int SlowEvery { get; init; }

    public TimeSpan SlowBy { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Confluence: every /wiki request answers after this (plus or minus <see cref="LatencyJitter"/>), a remote site's round trip; zero = none.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Confluence: the largest deviation from <see cref="Latency"/>, drawn uniformly per request.</summary>
    public TimeSpan LatencyJitter { get; init; }

    /// <summary>Confluence: a burst limit of this many requests per endpoint per second (more answer 429 with Retry-After: 1); 0 = off.</summary>
    public int BurstPerSecond { get; init; }

    /// <summary>RecordPoint: every Nth Connector API call answers 429 with wait-until-time <see cref="RecordPointWait"/> ahead; 0 = off.</summary>
    public int RecordPointThrottleEvery { get; init; }

    public TimeSpan RecordPointWait { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>RecordPoint: every request (Connector API and blob storage) answers after this (plus or minus <see cref="RecordPointLatencyJitter"/>); zero = none.</summary>
    public TimeSpan RecordPointLatency { get; init; }

    /// <summary>RecordPoint: the largest deviation from <see cref="RecordPointLatency"/>, drawn uniformly per request.</summary>
    public TimeSpan RecordPointLatencyJitter { get; init; }

    /// <summary>RecordPoint: every Nth distinct binary's first GetSASToken answers 412 (its item not processed yet); 0 = off.</summary>
    public int RecordPointDeferEvery { get; init; }

    /// <summary>RecordPoint: every Nth Connector API call answers 503; 0 = off.</summary>
    public int RecordPointUnavailableEvery { get; init; }

    /// <summary>A points quota of <paramref name="points"/> per <paramref name="window"/> (an hour scaled to seconds).</summary>
    public static FaultProfile WithQuota(long points, TimeSpan window) => new() { Name = "quota", Quota = new QuotaSpec(points, window) };

    /// <summary>A named profile (see <see cref="Names"/>); null or empty is no faults.</summary>
    public static FaultProfile? Parse(string? name) => name?.Trim().ToLower(CultureInfo.InvariantCulture) switch
    {
        null or "" or "none" => null,
        "quota" => WithQuota(2000, TimeSpan.FromSeconds(10)),
        "burst" => new() { Name = "burst", BurstEvery = 15, RetryAfterEvery = 40 },
        "flaky" => new() { Name = "flaky", ServiceUnavailableEvery = 13, DropEvery = 29, MalformedEvery = 17 },
        "slow" => new() { Name = "slow", SlowEvery = 25, SlowBy = TimeSpan.FromSeconds(3) },
        "recordpoint" => new() { Name = "recordpoint", RecordPointThrottleEvery = 40, RecordPointDeferEvery = 5, RecordPointUnavailableEvery = 23 },
        _ => throw new ArgumentException($"Unknown fault profile '{name}': use one of {string.Join(", ", Names)}.", nameof(name)),
    };
}

/// <summary>A simulated network round trip: <paramref name="latency"/> plus or minus up to <paramref name="jitter"/>, drawn uniformly.</summary>
internal static class SimulatedLatency
{
    public static Task WaitAsync(TimeSpan latency, TimeSpan jitter, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (latency <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        var delay = latency + (jitter * ((Random.Shared.NextDouble() * 2) - 1));
        return delay > TimeSpan.Zero ? Task.Delay(delay, timeProvider, cancellationToken) : Task.CompletedTask;
    }
}

/// <summary>A points quota: <paramref name="Points"/> per <paramref name="Window"/>.</summary>
public sealed record QuotaSpec(long Points, TimeSpan Window);

/// <summary>Deterministic "every Nth" counters, overall or per key.</summary>
internal sealed class EveryCounter
{
    private readonly Dictionary<string, long> counts = new(StringComparer.Ordinal);

    public bool Hit(int every, string key)
    {
        if (every <= 0)
        {
            return false;
        }

        lock (counts)
        {
            var n = counts.GetValueOrDefault(key) + 1;
            counts[key] = n;
            return n % every == 0;
        }
    }
}
