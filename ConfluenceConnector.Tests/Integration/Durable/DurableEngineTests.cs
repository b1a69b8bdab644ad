using System.Diagnostics;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Cli.Engine;
using ConfluenceConnector.Tests.Support;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace ConfluenceConnector.Tests.Integration.Durable;

/// <summary>
/// The local runner on the Azure Storage engine (Azurite), as separate processes: a runner killed with SIGKILL in
/// the middle of a sync, a second runner that picks the sync up, two runners sharing one sync, Azurite restarted
/// between kill and resume, and the singleton start refused while a sync runs on the hub.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DurableEngineTests(AzuriteFixture azurite, ITestOutputHelper log)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_runner_killed_mid_sync_is_resumed_by_a_new_runner_with_every_record_exactly_once()
    {
        var site = DurableSyncScenario.NewSite(spaces: 3, pagesPerSpace: 100);
        var expected = await DurableSyncScenario.ExpectedAsync(site);
        await using var scenario = await DurableSyncScenario.StartAsync(azurite, site);
        var store = scenario.RecordPoint.Store;
        var clock = Stopwatch.StartNew();

        await using (var first = scenario.StartRunner())
        {
            await DurableSyncScenario.WaitUntilAsync(() => store.Items.Count >= expected.Items.Count / 5 || first.HasExited, RunTimeout, () => $"{store.Items.Count} items; runner output:\n{first.Output}");
            Assert.False(first.HasExited, first.Output);
            await first.KillAsync();
        }

        var atKill = store.Items.Count;
        log.WriteLine($"killed at {atKill}/{expected.Items.Count} items after {clock.Elapsed}");
        Assert.InRange(atKill, 1, expected.Items.Count - 1);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await scenario.ReadHubAsync())!.RuntimeStatus);

        await using (var second = scenario.StartRunner())
        {
            Assert.True(await second.WaitForExitAsync(RunTimeout) == 0, second.Output);
            Assert.Contains("resuming it, not starting another", second.Output);
            log.WriteLine($"resumed and completed after {clock.Elapsed}");
        }

        expected.AssertHeldExactlyOnceBy(store, scenario.Confluence.BaseUrl);
        await AssertCleanAsync(scenario, expected);

        await using var status = RunnerProcess.Start("status", scenario.Settings());
        Assert.Equal(0, await status.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        Assert.Contains($"Full sync {SyncStarter.FullSyncInstanceId}: Completed", status.Output);
    }

    [Fact]
    public async Task Two_runners_share_one_sync_and_the_survivor_finishes_it_when_the_other_is_killed()
    {
        var site = DurableSyncScenario.NewSite(spaces: 4, pagesPerSpace: 60);
        var expected = await DurableSyncScenario.ExpectedAsync(site);
        await using var scenario = await DurableSyncScenario.StartAsync(azurite, site);
        var store = scenario.RecordPoint.Store;

        // Each runner reaches the one RecordPoint simulator through a counting proxy of its own: the counts show which
        // runner submitted records. (Confluence is reached directly: its address is part of every page document.)
        await using var firstProxy = await CountingProxy.StartAsync(scenario.RecordPoint.BaseUrl);
        await using var secondProxy = await CountingProxy.StartAsync(scenario.RecordPoint.BaseUrl);
        // One activity at a time each: with two spaces syncing in parallel, neither runner can take all the work.
        await using var first = scenario.StartRunner(firstProxy.BaseUrl, maxActivities: 1);
        await using var second = scenario.StartRunner(secondProxy.BaseUrl, maxActivities: 1);
        await DurableSyncScenario.WaitUntilAsync(
            () => (firstProxy.Requests >= 10 && secondProxy.Requests >= 10 && store.Items.Count >= expected.Items.Count / 5) || first.HasExited || second.HasExited,
            RunTimeout,
            () => $"RecordPoint requests {firstProxy.Requests} / {secondProxy.Requests}, {store.Items.Count} items; outputs:\n{first.Output}\n---\n{second.Output}");
        Assert.False(first.HasExited || second.HasExited, $"{first.Output}\n---\n{second.Output}");
        await first.KillAsync();
        var secondBefore = secondProxy.Requests;
        log.WriteLine($"first runner killed at {store.Items.Count}/{expected.Items.Count} items; RecordPoint requests so far {firstProxy.Requests} / {secondBefore}");
        Assert.InRange(store.Items.Count, 1, expected.Items.Count - 1);

        Assert.True(await second.WaitForExitAsync(RunTimeout) == 0, second.Output);
        Assert.True(secondProxy.Requests > secondBefore);
        log.WriteLine($"second runner finished; RecordPoint requests {firstProxy.Requests} / {secondProxy.Requests}");
        expected.AssertHeldExactlyOnceBy(store, scenario.Confluence.BaseUrl);
        await AssertCleanAsync(scenario, expected);
    }

    [Fact]
    public async Task A_sync_resumes_after_both_the_runner_and_Azurite_were_restarted()
    {
        var site = DurableSyncScenario.NewSite(spaces: 2, pagesPerSpace: 80);
        var expected = await DurableSyncScenario.ExpectedAsync(site);
        await using var scenario = await DurableSyncScenario.StartAsync(azurite, site);
        var store = scenario.RecordPoint.Store;

        await using (var first = scenario.StartRunner())
        {
            await DurableSyncScenario.WaitUntilAsync(() => store.Items.Count >= expected.Items.Count / 5 || first.HasExited, RunTimeout, () => $"{store.Items.Count} items; runner output:\n{first.Output}");
            Assert.False(first.HasExited, first.Output);
            await first.KillAsync();
        }

        Assert.InRange(store.Items.Count, 1, expected.Items.Count - 1);
        await azurite.StopAsync();
        await azurite.StartAsync();

        await using (var second = scenario.StartRunner())
        {
            Assert.True(await second.WaitForExitAsync(RunTimeout) == 0, second.Output);
            Assert.Contains("resuming it, not starting another", second.Output);
        }

        expected.AssertHeldExactlyOnceBy(store, scenario.Confluence.BaseUrl);
        await AssertCleanAsync(scenario, expected);
    }

    [Fact]
    public async Task Starting_a_sync_while_one_runs_on_the_shared_hub_is_refused_and_leaves_the_running_one_alone()
    {
        var site = DurableSyncScenario.NewSite(spaces: 2, pagesPerSpace: 60);
        await using var scenario = await DurableSyncScenario.StartAsync(azurite, site);
        var store = scenario.RecordPoint.Store;

        await using var runner = scenario.StartRunner();
        await DurableSyncScenario.WaitUntilAsync(() => store.Items.Count > 0 || runner.HasExited, RunTimeout, () => $"no item yet; runner output:\n{runner.Output}");
        Assert.False(runner.HasExited, runner.Output);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(scenario.Settings()).Build();
        await using var client = await LocalConnectorHost.StartClientAsync(configuration, CancellationToken.None);
        var before = await client.Client.GetInstanceAsync(SyncStarter.FullSyncInstanceId);
        var starter = new SyncStarter(Options.Create(new SyncOptions()), NullLogger<SyncStarter>.Instance);

        var start = await starter.StartFullSyncAsync(client.Client, CancellationToken.None);

        Assert.False(start.Started);
        Assert.Equal(OrchestrationRuntimeStatus.Running, start.RunningStatus);
        var after = await client.Client.GetInstanceAsync(SyncStarter.FullSyncInstanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Running, after!.RuntimeStatus);
        Assert.Equal(before!.CreatedAt, after.CreatedAt);
        await runner.KillAsync();
    }

    private static async Task AssertCleanAsync(DurableSyncScenario scenario, ExpectedRecords expected)
    {
        var report = await scenario.ReadHubAsync();
        Assert.NotNull(report);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, report.RuntimeStatus);
        Assert.Equal(SyncOutcome.Completed, report.Result!.Outcome);
        Assert.Equal(0, report.Result.Totals.Failures);
        Assert.Equal(expected.Aggregations.Count, report.Spaces.Count);
        Assert.All(Reconciliation.For(report).Spaces, s => Assert.Equal(0, s.Differences));
    }
}
