using System.Diagnostics;
using ConfluenceConnector.Cli.Demo;
using ConfluenceConnector.Cli.Engine;
using ConfluenceConnector.Cli.Reporting;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Simulators.Common;
using ConfluenceConnector.Simulators.Confluence;
using Microsoft.Extensions.Configuration;

namespace ConfluenceConnector.Cli.Benchmark;

/// <summary>
/// One benchmark run: generates a site, starts both simulators with the profile's latency or limits, runs a full sync
/// on the in-process engine exactly as <c>sync</c> does (Refit clients over loopback HTTP, the durable engine, the
/// connector's default settings) and measures it.
/// </summary>
public static class BenchmarkRunner
{
    /// <summary>Confluence: requests per endpoint per second before the latency profile's burst limit answers 429.</summary>
    public const int LatencyBurstPerSecond = 100;

    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(10);

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
        BenchmarkProfile.Quota => FaultProfile.WithQuota(BenchmarkOptions.QuotaPointsPerHour, TimeSpan.FromHours(1) / BenchmarkOptions.QuotaTimeScale),
        _ => null,
    };

    /// <summary>The generated site: <see cref="BenchmarkOptions.Pages"/> pages over the spaces, a blog post per 50 pages, the generator's realistic comments, attachments, labels and sizes.</summary>
    public static SiteSpec Site(BenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var pagesPerSpace = options.Pages / options.Spaces;
        return new SiteSpec
        {
            Seed = options.Seed,
            Spaces = options.Spaces,
            PagesPerSpace = pagesPerSpace,
            BlogPostsPerSpace = Math.Max(1, pagesPerSpace / 50),

            // The shape: ~1 footer and ~0.5 inline comment per page, replies included (each root comment draws
            // replies with probability ReplyFraction = 0.4 per reply, so roots are 60 % of all comments).
            FooterCommentsPerPage = 0.6,
            InlineCommentsPerPage = 0.3,
            SiteName = "bench",
        };
    }

    public static async Task<BenchmarkReport> RunAsync(BenchmarkOptions options, IConfiguration given, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var startedAt = DateTimeOffset.UtcNow;
        var generation = Stopwatch.StartNew();
        var site = ConfluenceSiteGenerator.Generate(Site(options));
        generation.Stop();

        await using var simulators = await DemoEnvironment.StartAsync(given, () => site, Faults(options.Profile), keepBinaryContent: false, cancellationToken).ConfigureAwait(false);
        var confluence = simulators.Confluence ?? throw new InvalidOperationException("bench runs against the Confluence simulator: leave Confluence:Domain and Confluence:BaseUrl unset.");
        var recordPoint = simulators.RecordPoint ?? throw new InvalidOperationException("bench runs against the RecordPoint simulator: leave RecordPoint:ApiUrl unset.");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Error" })
            .AddConfiguration(given)
            .AddInMemoryCollection(simulators.Settings)
            .Build();

        LocalConnectorHost? host = await LocalConnectorHost.StartAsync(configuration, configureServices: null, cancellationToken).ConfigureAwait(false);
        BenchmarkReport measured;
        long before;
        long retained;
        try
        {
            before = WorkingSetAfterFullCollection();
            using var sampler = new WorkingSetSampler();
            var console = new ConsoleReport(output);
            var nextProgress = ProgressEvery;
            var wall = Stopwatch.StartNew();
            var report = await host.RunFullSyncAsync(
                progress =>
                {
                    if (wall.Elapsed >= nextProgress)
                    {
                        nextProgress = wall.Elapsed + ProgressEvery;
                        console.Progress(wall.Elapsed, progress);
                    }
                },
                cancellationToken).ConfigureAwait(false);
            wall.Stop();
            await sampler.StopAsync().ConfigureAwait(false);
            measured = Measure(options, site, report, wall.Elapsed, generation.Elapsed, startedAt, simulators, host.History, sampler);
            retained = GC.GetTotalMemory(forceFullCollection: true);
        }
        finally
        {
            await host.DisposeAsync().ConfigureAwait(false);

            // An async method's locals live as long as it does: without this the host stays reachable below.
            host = null;
        }

        return measured with
        {
            WorkingSetBeforeSyncMb = Mb(before),
            ManagedHeapAfterSyncMb = Mb(retained),
            ManagedHeapWithoutConnectorMb = Mb(GC.GetTotalMemory(forceFullCollection: true)),
        };
    }

    /// <summary>The working set once a full garbage collection has run: the site model, the simulators and the idle host.</summary>
    private static long WorkingSetAfterFullCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static BenchmarkReport Measure(BenchmarkOptions options, ConfluenceSite site, SyncReport report, TimeSpan wall, TimeSpan generation, DateTimeOffset startedAt, DemoEnvironment simulators, HistoryStatistics history, WorkingSetSampler sampler)
    {
        var confluence = simulators.Confluence!;
        var recordPoint = simulators.RecordPoint!;
        var totals = report.Result?.Totals ?? new SyncTotals();
        var listing = totals.Listing ?? ListingStrategy.SiteWide;
        var records = PointsLowerBound.Records(site);
        var recordIds = records.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var comments = site.Comments.Count(c => c.Status == "current" && recordIds.Contains(c.ContainerId));
        var attachments = site.Attachments.Count(a => a.Status == "current" && recordIds.Contains(a.ContainerId));
        var synced = totals.Pages + totals.BlogPosts;
        var perPage = (double)Math.Max(1, synced);
        var objects = (double)Math.Max(1, records.Count + comments + attachments);
        var bound = PointsLowerBound.For(site, listing);
        var points = confluence.Points.Total;
        var confluenceInjected = confluence.InjectedFaults.ByRoute;
        var recordPointInjected = recordPoint.InjectedFaults.ByRoute;
        var hoursAtQuota = points / (double)BenchmarkOptions.QuotaPointsPerHour;
        return new BenchmarkReport
        {
            Profile = options.Profile.ToString().ToLowerInvariant(),
            StartedAt = startedAt,
            Outcome = report.Result?.Outcome.ToString() ?? $"{report.RuntimeStatus}: {report.FailureMessage}",
            Listing = totals.Listing?.ToString(),
            ProcessorCount = Environment.ProcessorCount,
            Spaces = site.Spaces.Count,
            SitePages = site.Pages.Count,
            SiteBlogPosts = site.BlogPosts.Count,
            RecordsInScope = records.Count,
            CommentsInScope = comments,
            AttachmentsInScope = attachments,
            SiteGenerationSeconds = generation.TotalSeconds,
            WallSeconds = wall.TotalSeconds,
            RecordsSynced = synced,
            RecordsInRecordPoint = recordPoint.Store.Items.Count,
            BinariesInRecordPoint = recordPoint.Store.Binaries.Count,
            Failures = totals.Failures,
            PagesPerSecond = synced / Math.Max(wall.TotalSeconds, 0.001),
            ConfluenceRequests = confluence.Points.Requests,
            ConfluenceObjects = confluence.Points.Objects,
            ConfluencePoints = points,
            RequestsPerPage = confluence.Points.Requests / perPage,
            PointsPerPage = points / perPage,
            RequestsPerObject = confluence.Points.Requests / objects,
            PointsPerObject = points / objects,
            PointsLowerBound = bound,
            PointsRatio = points / (double)bound,
            RecordPointCalls = recordPoint.Requests.Total,
            RecordPointCallsPerPage = recordPoint.Requests.Total / perPage,
            PeakWorkingSetMb = Mb(Math.Max(sampler.PeakWorkingSet, sampler.MaxSampled)),
            MaxSampledWorkingSetMb = Mb(sampler.MaxSampled),
            MaxHistoryEvents = history.MaxEvents,
            MaxHistoryOrchestration = history.MaxEventsOrchestration,
            OrchestrationEpisodes = history.Episodes,
            Confluence429 = confluenceInjected.Where(f => f.Key.StartsWith("429", StringComparison.Ordinal)).Sum(f => f.Value) + (confluence.Quota?.Refusals ?? 0),
            RecordPoint429 = recordPointInjected.GetValueOrDefault("429"),
            QuotaRefusals = confluence.Quota?.Refusals ?? 0,
            QuotaWindows = confluence.Quota?.Windows ?? 0,
            ConfluenceInjected = confluenceInjected,
            RecordPointInjected = recordPointInjected,
            QuotaTimeScale = options.Profile == BenchmarkProfile.Quota ? BenchmarkOptions.QuotaTimeScale : null,
            HoursAtQuota = hoursAtQuota,
            HoursAtQuotaFor100kPages = points / (double)Math.Max(1, site.Pages.Count) * 100_000 / BenchmarkOptions.QuotaPointsPerHour,
            ObservedHoursAtQuota = options.Profile == BenchmarkProfile.Quota ? wall.TotalHours * BenchmarkOptions.QuotaTimeScale : null,
            ConfluenceRequestsByRoute = confluence.Requests.ByRoute,
            ConfluenceObjectsByRoute = confluence.Points.ObjectsByRoute,
            RecordPointRequestsByRoute = recordPoint.Requests.ByRoute,
        };
    }

    private static double Mb(long bytes) => bytes / (1024.0 * 1024.0);

    /// <summary>Samples the process's working set twice a second while the sync runs; the OS's peak is read at the end.</summary>
    private sealed class WorkingSetSampler : IDisposable
    {
        private readonly Process process = Process.GetCurrentProcess();
        private readonly CancellationTokenSource stop = new();
        private readonly Task loop;

        public WorkingSetSampler() => loop = SampleAsync();

        public long MaxSampled { get; private set; }

        public long PeakWorkingSet { get; private set; }

        public async Task StopAsync()
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await loop.ConfigureAwait(false);
            process.Refresh();
            MaxSampled = Math.Max(MaxSampled, process.WorkingSet64);
            PeakWorkingSet = process.PeakWorkingSet64;
        }

        public void Dispose()
        {
            stop.Dispose();
            process.Dispose();
        }

        private async Task SampleAsync()
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                {
                    process.Refresh();
                    MaxSampled = Math.Max(MaxSampled, process.WorkingSet64);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
