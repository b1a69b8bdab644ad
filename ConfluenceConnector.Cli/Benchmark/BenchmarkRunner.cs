using System.Diagnostics;
using ConfluenceConnector.Cli.Demo;
using ConfluenceConnector.Cli.Engine;
using ConfluenceConnector.Cli.Reporting;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Simulators.Bench;
using ConfluenceConnector.Simulators.Common;
using Microsoft.Extensions.Configuration;

namespace ConfluenceConnector.Cli.Benchmark;

/// <summary>
/// One benchmark run: starts both simulators in a child process (<see cref="SimulatorsProcess"/>) serving the generated
/// site with the profile's latency or limits, runs a full sync on the in-process engine exactly as <c>sync</c> does
/// (Refit clients over loopback HTTP, the durable engine, the connector's default settings) and measures it. This
/// process's memory is the connector's; the simulators' is read from their process.
/// </summary>
public static class BenchmarkRunner
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(10);

    public static async Task<BenchmarkReport> RunAsync(BenchmarkOptions options, IConfiguration given, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(output);
        if (SimulatorSettings.ConfluenceConfigured(given))
        {
            throw new InvalidOperationException("bench runs against the Confluence simulator: leave Confluence:Domain and Confluence:BaseUrl unset.");
        }

        if (SimulatorSettings.RecordPointConfigured(given))
        {
            throw new InvalidOperationException("bench runs against the RecordPoint simulator: leave RecordPoint:ApiUrl unset.");
        }

        var startedAt = DateTimeOffset.UtcNow;
        await using var simulators = await SimulatorsProcess.StartAsync(options, cancellationToken).ConfigureAwait(false);
        var ready = simulators.Ready;
        await output.WriteLineAsync($"Simulators: process {simulators.Id}, Confluence {ready.ConfluenceUrl}, RecordPoint {ready.RecordPointUrl}; site generated in {ready.SiteGenerationSeconds:F1} s.").ConfigureAwait(false);
        var settings = new Dictionary<string, string?>();
        SimulatorSettings.Confluence(settings, ready.SiteName, ready.ConfluenceUrl, ready.Email, ready.ApiToken);
        SimulatorSettings.RecordPoint(settings, ready.RecordPointUrl, given);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Error" })
            .AddConfiguration(given)
            .AddInMemoryCollection(settings)
            .Build();

        await using var host = await LocalConnectorHost.StartAsync(configuration, configureServices: null, cancellationToken).ConfigureAwait(false);
        var before = WorkingSetAfterFullCollection();
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
        var retained = GC.GetTotalMemory(forceFullCollection: true);

        var totals = report.Result?.Totals ?? new SyncTotals();
        var confluence = await simulators.ConfluenceStatsAsync((totals.Listing ?? ListingStrategy.SiteWide) == ListingStrategy.SiteWide, cancellationToken).ConfigureAwait(false);
        var recordPoint = await simulators.RecordPointStatsAsync(cancellationToken).ConfigureAwait(false);
        return Measure(options, report, totals, wall.Elapsed, startedAt, ready, confluence, recordPoint, host.History, (sampler, before, retained));
    }

    /// <summary>The working set once a full garbage collection has run: the idle connector host and engine.</summary>
    private static long WorkingSetAfterFullCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static BenchmarkReport Measure(BenchmarkOptions options, SyncReport report, SyncTotals totals, TimeSpan wall, DateTimeOffset startedAt, BenchReady ready, ConfluenceSimStats confluence, RecordPointSimStats recordPoint, HistoryStatistics history, (WorkingSetSampler Sampler, long Before, long Retained) connector)
    {
        var site = confluence.Site;
        var synced = totals.Pages + totals.BlogPosts;
        var perPage = (double)Math.Max(1, synced);
        var objects = (double)Math.Max(1, site.RecordsInScope + site.CommentsInScope + site.AttachmentsInScope);
        var points = confluence.Points;
        var hoursAtQuota = points / (double)BenchSetup.QuotaPointsPerHour;
        return new BenchmarkReport
        {
            Profile = options.Profile.ToString().ToLowerInvariant(),
            StartedAt = startedAt,
            Outcome = report.Result?.Outcome.ToString() ?? $"{report.RuntimeStatus}: {report.FailureMessage}",
            Listing = totals.Listing?.ToString(),
            ProcessorCount = Environment.ProcessorCount,
            Spaces = site.Spaces,
            SitePages = site.Pages,
            SiteBlogPosts = site.BlogPosts,
            RecordsInScope = site.RecordsInScope,
            CommentsInScope = site.CommentsInScope,
            AttachmentsInScope = site.AttachmentsInScope,
            SiteGenerationSeconds = ready.SiteGenerationSeconds,
            WallSeconds = wall.TotalSeconds,
            RecordsSynced = synced,
            RecordsInRecordPoint = recordPoint.Items,
            BinariesInRecordPoint = recordPoint.Binaries,
            Failures = totals.Failures,
            PagesPerSecond = synced / Math.Max(wall.TotalSeconds, 0.001),
            ConfluenceRequests = confluence.PointsRequests,
            ConfluenceObjects = confluence.PointsObjects,
            ConfluencePoints = points,
            RequestsPerPage = confluence.PointsRequests / perPage,
            PointsPerPage = points / perPage,
            RequestsPerObject = confluence.PointsRequests / objects,
            PointsPerObject = points / objects,
            PointsLowerBound = site.PointsLowerBound,
            PointsRatio = points / (double)site.PointsLowerBound,
            RecordPointCalls = recordPoint.Requests,
            RecordPointCallsPerPage = recordPoint.Requests / perPage,
            ConnectorPeakWorkingSetMb = Mb(Math.Max(connector.Sampler.PeakWorkingSet, connector.Sampler.MaxSampled)),
            ConnectorMaxSampledWorkingSetMb = Mb(connector.Sampler.MaxSampled),
            ConnectorWorkingSetBeforeSyncMb = Mb(connector.Before),
            ConnectorManagedHeapAfterSyncMb = Mb(connector.Retained),
            SimulatorsPeakWorkingSetMb = Mb(Math.Max(confluence.Process.PeakWorkingSetBytes, recordPoint.Process.PeakWorkingSetBytes)),
            MaxHistoryEvents = history.MaxEvents,
            MaxHistoryOrchestration = history.MaxEventsOrchestration,
            OrchestrationEpisodes = history.Episodes,
            Confluence429 = confluence.InjectedByRoute.Where(f => f.Key.StartsWith("429", StringComparison.Ordinal)).Sum(f => f.Value) + confluence.QuotaRefusals,
            RecordPoint429 = recordPoint.InjectedByRoute.GetValueOrDefault("429"),
            QuotaRefusals = confluence.QuotaRefusals,
            QuotaWindows = confluence.QuotaWindows,
            ConfluenceInjected = confluence.InjectedByRoute,
            RecordPointInjected = recordPoint.InjectedByRoute,
            QuotaTimeScale = options.Profile == BenchmarkProfile.Quota ? BenchSetup.QuotaTimeScale : null,
            HoursAtQuota = hoursAtQuota,
            HoursAtQuotaFor100kPages = points / (double)Math.Max(1, site.Pages) * 100_000 / BenchSetup.QuotaPointsPerHour,
            ObservedHoursAtQuota = options.Profile == BenchmarkProfile.Quota ? wall.TotalHours * BenchSetup.QuotaTimeScale : null,
            ConfluenceRequestsByRoute = confluence.RequestsByRoute,
            ConfluenceObjectsByRoute = confluence.ObjectsByRoute,
            RecordPointRequestsByRoute = recordPoint.RequestsByRoute,
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
