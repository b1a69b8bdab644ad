using System.Diagnostics;
using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Core.Sync.Activities;
using ConfluenceConnector.Simulators.Common;
using ConfluenceConnector.Simulators.Confluence;
using ConfluenceConnector.Simulators.RecordPoint;
using ConfluenceConnector.Tests.Support;
using Xunit.Abstractions;

namespace ConfluenceConnector.Tests.Integration;

/// <summary>
/// Full syncs under each fault profile of the simulators, on the in-process durable engine. Each run must leave
/// RecordPoint holding exactly what a fault-free run of the same site leaves (every record and binary, one version
/// each), and report as failures exactly the permanent faults that were injected.
/// </summary>
public sealed class FaultToleranceTests(ITestOutputHelper output)
{
    private static ConfluenceSite NewSite() => ConfluenceSiteGenerator.Generate(new SiteSpec
    {
        Seed = 11,
        Spaces = 2,
        PagesPerSpace = 24,
        PersonalSpaces = 0,
        ArchivedSpaces = 0,
        MaxBodyBytes = 2000,
        BlogPostsPerSpace = 2,
        FooterCommentsPerPage = 0.5,
        InlineCommentsPerPage = 0.2,
        AttachmentsPerPage = 0.5,
        MaxAttachmentBytes = 16 * 1024,
    });

    /// <summary>What RecordPoint holds after a sync: item ids and item/binary ids, with the Confluence points it cost.</summary>
    private sealed record Holdings(IReadOnlyList<string> Items, IReadOnlyList<string> Binaries, long Points);

    private static readonly Lazy<Task<Holdings>> Baseline = new(async () =>
    {
        await using var harness = await SyncHarness.StartAsync(NewSite());
        var report = await harness.RunFullSyncAsync();
        Assert.Equal(SyncOutcome.Completed, report.Result!.Outcome);
        return Read(harness.RecordPoint.Store, harness.Confluence.Points.Total);
    });

    private static Holdings Read(RecordPointStore store, long points) => new(
        [.. store.Items.Select(i => i.ExternalId).Order(StringComparer.Ordinal)],
        [.. store.Binaries.Select(b => b.ItemExternalId + "/" + b.BinaryExternalId).Order(StringComparer.Ordinal)],
        points);

    /// <summary>Nothing missing, nothing extra, no version sent twice.</summary>
    private static async Task AssertHoldsExactlyTheBaselineAsync(RecordPointStore store)
    {
        var expected = await Baseline.Value;
        var actual = Read(store, 0);
        Assert.NotEmpty(expected.Binaries);
        Assert.Equal(expected.Items, actual.Items);
        Assert.Equal(expected.Binaries, actual.Binaries);
        Assert.All(store.Items, i => Assert.Equal(1, i.Versions));
        Assert.All(store.Binaries, b => Assert.Equal(1, b.Versions));
    }

    /// <summary>Every current attachment is held with exactly its bytes in Confluence (never an error body or a broken-off download).</summary>
    private static async Task AssertAttachmentBytesAsync(ConfluenceSite site, RecordPointStore store)
    {
        foreach (var attachment in site.Attachments.Where(a => a.Status == "current"))
        {
            await using var content = attachment.OpenContent();
            using var expected = new MemoryStream();
            await content.CopyToAsync(expected);
            Assert.Equal(expected.ToArray(), Assert.Single(store.Binaries, b => b.BinaryExternalId == attachment.Id).Content);
        }
    }

    private static void FastRetries(SyncHarness harness)
    {
        harness.Settings["Confluence:Resilience:RetryBaseDelay"] = "00:00:00.020";
        harness.Settings["Confluence:Resilience:MaxRetryDelay"] = "00:00:00.200";
        harness.Settings["RecordPoint:Resilience:RetryBaseDelay"] = "00:00:00.020";
        harness.Settings["RecordPoint:Resilience:MaxRetryDelay"] = "00:00:00.200";
    }

    private async Task<SyncReport> RunAsync(SyncHarness harness)
    {
        var clock = Stopwatch.StartNew();
        var report = await harness.RunFullSyncAsync();
        output.WriteLine($"sync: {clock.Elapsed.TotalSeconds:F1} s, outcome {report.Result?.Outcome}, {report.Result?.Totals.RecordsSubmitted} records, {report.Result?.Totals.Binaries} binaries, {harness.Confluence.Points.Total} Confluence points, {harness.Confluence.Requests.Total} Confluence requests");
        output.WriteLine("Confluence faults injected: " + string.Join(", ", harness.Confluence.InjectedFaults.ByRoute.Select(kv => $"{kv.Key}={kv.Value}")));
        output.WriteLine("RecordPoint faults injected: " + string.Join(", ", harness.RecordPoint.InjectedFaults.ByRoute.Select(kv => $"{kv.Key}={kv.Value}")));
        foreach (var line in report.Spaces.Where(s => s.Error is not null).Select(s => $"space {s.SpaceKey}: {s.Error}").Concat(report.Result?.FailureSamples.Select(f => $"failure {f.ItemId} ({f.Kind}): {f.Reason}") ?? []))
        {
            output.WriteLine(line);
        }

        if (harness.Confluence.Quota is { } quota)
        {
            output.WriteLine($"quota: {quota.Spec.Points} points per {quota.Spec.Window.TotalSeconds} s, {quota.Windows} window(s), {quota.Refusals} refusal(s)");
        }

        return report;
    }

    [Fact]
    public async Task A_spent_quota_pauses_every_worker_on_a_durable_timer_and_the_sync_resumes_losing_nothing()
    {
        var baseline = await Baseline.Value;
        var quota = FaultProfile.WithQuota(points: baseline.Points / 3, window: TimeSpan.FromSeconds(2));
        await using var harness = await SyncHarness.StartAsync(NewSite(), confluenceOptions: new ConfluenceSimulatorOptions { Faults = quota });
        FastRetries(harness);
        harness.Settings["Confluence:Pacing"] = "false";

        // A batch must fit in one window: a batch cut short by the quota lists its page again after the wait (only what it had not sent is read again).
        harness.Settings["Sync:PageSize"] = "5";

        // Per-content reads keep many calls in flight, so some meet the wall (SiteWideListingTests has the index build's wait).
        harness.Settings["Sync:ListingStrategy"] = "PerContent";

        // Any quota wait is longer than this: the activity throws and the orchestration waits on a durable timer.
        harness.Settings["Confluence:Resilience:MaxRetryAfter"] = "00:00:00.100";

        var report = await RunAsync(harness);

        Assert.Equal(SyncOutcome.Completed, report.Result!.Outcome);
        Assert.Empty(report.Result.FailureSamples);
        await AssertHoldsExactlyTheBaselineAsync(harness.RecordPoint.Store);
        Assert.InRange(harness.Confluence.Quota!.Refusals, 1, long.MaxValue);
        Assert.InRange(harness.Confluence.Quota.Windows, 3, int.MaxValue);
    }

    [Fact]
    public async Task A_spent_quota_while_the_space_filter_is_checked_waits_on_a_durable_timer_instead_of_failing_the_run()
    {
        var site = NewSite();
        await using var harness = await SyncHarness.StartAsync(site);
        FastRetries(harness);
        harness.Settings["Confluence:SpaceFilter:Include:0"] = site.Spaces[0].Key;
        harness.Settings["Confluence:SpaceFilter:Include:1"] = site.Spaces[1].Key;
        harness.Settings["Confluence:Resilience:MaxRetryAfter"] = "00:00:00.100";

        // The first call of the run (the filter's space look-up) meets the quota wall: a wait longer than any call may hold.
        harness.Confluence.FailNext(r => r.Path.Value == "/wiki/api/v2/spaces", statusCode: 429, times: 1, headers: new Dictionary<string, string> { ["Retry-After"] = "1", ["RateLimit-Reason"] = "confluence-quota-global-based" });

        var report = await RunAsync(harness);

        Assert.Equal(0, harness.Confluence.PendingFaults);
        Assert.Equal(SyncOutcome.Completed, report.Result!.Outcome);
        Assert.Empty(report.Result.UnknownSpaceKeys);
        await AssertHoldsExactlyTheBaselineAsync(harness.RecordPoint.Store);
    }

    [Fact]
    public async Task A_batch_retried_after_the_quota_wall_neither_reads_nor_submits_again_what_this_run_already_sent()
    {
        var site = NewSite();
        var space = site.Spaces[0];
        var victim = site.Pages.Where(p => p.SpaceId == space.Id && p.Status == "current").OrderBy(p => long.Parse(p.Id, System.Globalization.CultureInfo.InvariantCulture)).ElementAt(4);
        await using var harness = await SyncHarness.StartAsync(site);
        FastRetries(harness);
        harness.Settings["Sync:ListingStrategy"] = "PerContent";
        harness.Settings["Sync:PageSize"] = "10";
        harness.Settings["Sync:SubmitConcurrency"] = "1";
        harness.Settings["Confluence:Resilience:MaxRetryAfter"] = "00:00:00.100";

        // Counts every per-content labels read (this rule never answers), then the quota wall in the middle of a batch.
        var labelReads = new System.Collections.Concurrent.ConcurrentBag<string>();
        harness.Confluence.FailNext(
            r =>
            {
                if (r.Path.Value!.EndsWith("/labels", StringComparison.Ordinal))
                {
                    labelReads.Add(r.Path.Value);
                }

                return false;
            },
            statusCode: 500);
        harness.Confluence.FailNext(r => r.Path.Value == $"/wiki/api/v2/pages/{victim.Id}/labels", statusCode: 429, times: 1, headers: new Dictionary<string, string> { ["Retry-After"] = "1", ["RateLimit-Reason"] = "confluence-quota-global-based" });

        var report = await RunAsync(harness);

        Assert.Equal(SyncOutcome.Completed, report.Result!.Outcome);
        await AssertHoldsExactlyTheBaselineAsync(harness.RecordPoint.Store);

        // The pages before the victim in its batch were sent before the wall: the retried batch counts them from the ledger.
        var reads = labelReads.GroupBy(path => path).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(2, reads[$"/wiki/api/v2/pages/{victim.Id}/labels"]);
        Assert.All(reads.Where(r => r.Key != $"/wiki/api/v2/pages/{victim.Id}/labels"), r => Assert.Equal(1, r.Value));
        Assert.Equal(harness.RecordPoint.Store.Items.Count, report.Result.Totals.RecordsSubmitted);
        Assert.Equal(0, report.Result.Totals.RecordsUnchanged);
    }

    [Fact]
    public async Task Pacing_spreads_the_quota_over_its_windows_and_never_meets_the_wall()
    {
        var baseline = await Baseline.Value;
        var quota = FaultProfile.WithQuota(points: baseline.Points / 2, window: TimeSpan.FromSeconds(2));
        await using var harness = await SyncHarness.StartAsync(NewSite(), confluenceOptions: new ConfluenceSimulatorOptions { Faults = quota });
        FastRetries(harness);
        harness.Settings["Sync:PageSize"] = "10";
        harness.Settings["Sync:SubmitConcurrency"] = "2";
        harness.Settings["Sync:MaxParallelSpaces"] = "1";

        var report = await RunAsync(harness);

        Assert.Equal(SyncOutcome.Completed, report.Result!.Outcome);
        await AssertHoldsExactlyTheBaselineAsync(harness.RecordPoint.Store);
        Assert.Equal(0, harness.Confluence.Quota!.Refusals);
        Assert.InRange(harness.Confluence.Quota.Windows, 2, int.MaxValue);
    }

    [Fact]
    public async Task Burst_429s_503s_dropped_connections_and_malformed_bodies_are_ridden_out()
    {
        var profile = new FaultProfile { Name = "flaky", BurstEvery = 15, ServiceUnavailableEvery = 13, DropEvery = 29, MalformedEvery = 17, RetryAfterEvery = 25 };
        await using var harness = await SyncHarness.StartAsync(NewSite(), confluenceOptions: new ConfluenceSimulatorOptions { Faults = profile });
        FastRetries(harness);

        // Burst and Retry-After faults count per endpoint: per-content reads call each endpoint once per record.
        harness.Settings["Sync:ListingStrategy"] = "PerContent";

        var report = await RunAsync(harness);

        Assert.Equal(SyncOutcome.Completed, report.Result!.Outcome);
        Assert.Empty(report.Result.FailureSamples);
        await AssertHoldsExactlyTheBaselineAsync(harness.RecordPoint.Store);
        await AssertAttachmentBytesAsync(harness.Confluence.Site, harness.RecordPoint.Store);
        var injected = harness.Confluence.InjectedFaults;
        Assert.All(new[] { "429 burst", "503", "drop", "malformed", "429 retry-after" }, kind => Assert.True(injected[kind] > 0, $"no '{kind}' fault was injected"));
    }

    [Fact]
    public async Task Slow_answers_time_out_per_attempt_and_are_retried()
    {
        var profile = new FaultProfile { Name = "slow", SlowEvery = 40, SlowBy = TimeSpan.FromSeconds(3) };
        await using var harness = await SyncHarness.StartAsync(NewSite(), confluenceOptions: new ConfluenceSimulatorOptions { Faults = profile });
        FastRetries(harness);
        harness.Settings["Confluence:Resilience:AttemptTimeout"] = "00:00:00.500";

        var report = await RunAsync(harness);

        Assert.Equal(SyncOutcome.Completed, report.Result!.Outcome);
        await AssertHoldsExactlyTheBaselineAsync(harness.RecordPoint.Store);
        Assert.True(harness.Confluence.InjectedFaults["slow"] > 0);
    }

    [Fact]
    public async Task RecordPoint_throttling_deferrals_and_503s_lose_nothing_and_no_call_jumps_the_throttle()
    {
        var profile = new FaultProfile { Name = "recordpoint", RecordPointThrottleEvery = 30, RecordPointWait = TimeSpan.FromMilliseconds(400), RecordPointDeferEvery = 4, RecordPointUnavailableEvery = 11 };
        await using var harness = await SyncHarness.StartAsync(NewSite(), new RecordPointSimulatorOptions { Faults = profile });
        FastRetries(harness);

        var report = await RunAsync(harness);

        Assert.Equal(SyncOutcome.Completed, report.Result!.Outcome);
        Assert.Empty(report.Result.FailureSamples);
        await AssertHoldsExactlyTheBaselineAsync(harness.RecordPoint.Store);
        var injected = harness.RecordPoint.InjectedFaults;
        Assert.All(new[] { "429", "412", "503" }, kind => Assert.True(injected[kind] > 0, $"no '{kind}' fault was injected"));
        Assert.Equal(0, injected["early call while throttled"]);
    }

    [Fact]
    public async Task A_page_whose_details_keep_failing_is_named_with_its_space_and_attempts_and_the_rest_goes_on()
    {
        var site = NewSite();
        var victim = site.Pages.First(p => p.Status == "current");
        var space = site.Spaces.Single(s => s.Id == victim.SpaceId);
        await using var harness = await SyncHarness.StartAsync(site);
        FastRetries(harness);

        // Per-content reads are where one record's details fail on their own.
        harness.Settings["Sync:ListingStrategy"] = "PerContent";
        harness.Confluence.FailNext(r => r.Path.Value == $"/wiki/api/v2/pages/{victim.Id}/labels", statusCode: 500, times: 1000);

        var first = await RunAsync(harness);

        Assert.Equal(SyncOutcome.CompletedWithFailures, first.Result!.Outcome);
        Assert.Equal(1, first.Result.Totals.Failures);
        Assert.Equal(0, first.Result.Totals.SpacesFailed);
        var failure = Assert.Single(first.Result.FailureSamples);
        Assert.Equal(victim.Id, failure.ItemId);
        Assert.StartsWith($"{RecordSubmitter.ReadFailed} in space {space.Key} after 7 attempts", failure.Reason);
        Assert.Null(harness.RecordPoint.Store.FindItem(victim.Id));
        var baseline = await Baseline.Value;
        Assert.Equal(baseline.Items.Count - 1, harness.RecordPoint.Store.Items.Count);

        harness.Confluence.ClearFaults();
        var second = await RunAsync(harness);

        Assert.Equal(SyncOutcome.Completed, second.Result!.Outcome);
        await AssertHoldsExactlyTheBaselineAsync(harness.RecordPoint.Store);
    }

    [Fact]
    public async Task Permanent_rejections_are_reported_by_name_not_retried_and_the_next_run_sends_them()
    {
        var ledger = Path.Combine(Path.GetTempPath(), $"ledger-{Guid.NewGuid():N}.db");
        try
        {
            await using var harness = await SyncHarness.StartAsync(NewSite());
            FastRetries(harness);
            harness.Settings["Ledger:Path"] = ledger;
            harness.Settings["Sync:SubmitConcurrency"] = "1";
            harness.Settings["Sync:MaxParallelSpaces"] = "1";

            // One item rejected (400), and one binary deferred (412) on every attempt the submitter makes.
            harness.RecordPoint.FailNext(r => r.Path.Value == "/connector/api/Items", statusCode: 400, times: 1);
            harness.RecordPoint.FailNext(r => r.Path.Value == "/connector/api/Binaries/GetSASToken", statusCode: 412, times: 1 + RecordSubmitter.DeferredBinaryRetries);

            var first = await RunAsync(harness);

            Assert.Equal(SyncOutcome.CompletedWithFailures, first.Result!.Outcome);
            Assert.Equal(0, harness.RecordPoint.PendingFaults);
            Assert.Equal(2, first.Result.Totals.Failures);
            var rejected = Assert.Single(first.Result.FailureSamples, f => f.Reason.Contains("answered 400", StringComparison.Ordinal));
            var deferred = Assert.Single(first.Result.FailureSamples, f => f.Reason.Contains("answered 412", StringComparison.Ordinal));
            Assert.Null(harness.RecordPoint.Store.FindItem(rejected.ItemId));
            Assert.DoesNotContain(harness.RecordPoint.Store.Binaries, b => b.BinaryExternalId == deferred.ItemId);
            Assert.Equal((await Baseline.Value).Items.Count, harness.RecordPoint.Requests["POST /connector/api/Items"]);

            var second = await RunAsync(harness);

            Assert.Equal(SyncOutcome.Completed, second.Result!.Outcome);
            await AssertHoldsExactlyTheBaselineAsync(harness.RecordPoint.Store);
        }
        finally
        {
            File.Delete(ledger);
        }
    }
}
