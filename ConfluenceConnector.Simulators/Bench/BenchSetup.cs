using ConfluenceConnector.Simulators.Common;
using ConfluenceConnector.Simulators.Confluence;

namespace ConfluenceConnector.Simulators.Bench;

/// <summary>The profiles of <c>bench</c>: what the simulators add to every call.</summary>
public enum BenchmarkProfile
{
    /// <summary>Confluence ~100 ms and RecordPoint ~50 ms per call (jittered), API-token mode with burst limits only.</summary>
    Latency,

    /// <summary>Confluence's points quota on, time-scaled (<see cref="BenchSetup.QuotaTimeScale"/>), no latency.</summary>
    Quota,

    /// <summary>No latency and no limits: the connector's own CPU and memory costs.</summary>
    Zero,
}

/// <summary>The site and the faults the simulators serve a <c>bench</c> run with.</summary>
public static class BenchSetup
{
    /// <summary>Confluence's default points quota of an OAuth app, per hour.</summary>
    public const long QuotaPointsPerHour = 65_000;

    /// <summary>How much faster than real time the quota profile's windows run: an hour's points per hour / this.</summary>
    public const int QuotaTimeScale = 60;

    /// <summary>Confluence: requests per endpoint per second before the latency profile's burst limit answers 429.</summary>
    public const int LatencyBurstPerSecond = 100;

    /// <summary>What the simulators add to every call under <paramref name="profile"/>; null = nothing.</summary>
    public static FaultProfile? Faults(BenchmarkProfile profile) => profile switch
    {
        BenchmarkProfile.Latency => new FaultProfile
        {
            Name = "latency",
            Latency = TimeSpan.FromMilliseconds(100),
            LatencyJitter = TimeSpan.FromMilliseconds(30),
            BurstPerSecond = LatencyBurstPerSecond,
            RecordPointLatency = TimeSpan.FromMilliseconds(50),
            RecordPointLatencyJitter = TimeSpan.FromMilliseconds(15),
        },
        BenchmarkProfile.Quota => FaultProfile.WithQuota(QuotaPointsPerHour, TimeSpan.FromHours(1) / QuotaTimeScale),
        _ => null,
    };

    /// <summary>The generated site: <paramref name="pages"/> pages over <paramref name="spaces"/> spaces, a blog post per 50 pages, the generator's realistic comments, attachments, labels and sizes.</summary>
    public static SiteSpec Site(int pages, int spaces, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spaces, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pages, spaces);
        var pagesPerSpace = pages / spaces;
        return new SiteSpec
        {
            Seed = seed,
            Spaces = spaces,
            PagesPerSpace = pagesPerSpace,
            BlogPostsPerSpace = Math.Max(1, pagesPerSpace / 50),

            // The shape: ~1 footer and ~0.5 inline comment per page, replies included (each root comment draws
            // replies with probability ReplyFraction = 0.4 per reply, so roots are 60 % of all comments).
            FooterCommentsPerPage = 0.6,
            InlineCommentsPerPage = 0.3,
            SiteName = "bench",
        };
    }
}
