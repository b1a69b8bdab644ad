using System.Diagnostics;
using ConfluenceConnector.Core.Operations;
using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Simulators.Confluence;
using ConfluenceConnector.Tests.Support;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ConfluenceConnector.Tests.Operations;

/// <summary>The connector's Status switch in RecordPoint gates the sync (the configuration guide: Disabled until authorised).</summary>
public sealed class ConnectorStatusGateTests
{
    [Fact]
    public async Task A_sync_waits_while_the_connector_is_disabled_and_runs_once_it_is_enabled()
    {
        var site = ConfluenceSiteGenerator.Generate(new SiteSpec { Seed = 3, Spaces = 2, PagesPerSpace = 5, MaxBodyBytes = 1000 });
        await using var harness = await SyncHarness.StartAsync(site);
        harness.Settings["Sync:ConnectorPollInterval"] = "00:00:00.300";
        harness.RecordPoint.Store.SetConnectorStatus("Disabled");
        var ping = harness.RecordPoint.Store.EnqueueNotification("connector-1", "Ping");
        await using var host = await harness.StartHostAsync();
        var operations = host.Services.GetRequiredService<SyncOperations>();

        var start = await operations.StartAsync(host.Client, CancellationToken.None);
        var waiting = await WaitForPhaseAsync(operations, host.Client, phase => phase.StartsWith("Waiting", StringComparison.Ordinal));

        Assert.Contains("Disabled", waiting);
        Assert.Empty(harness.RecordPoint.Store.Aggregations);
        Assert.Empty(harness.RecordPoint.Store.Items);
        Assert.Equal("OK", Assert.Single(harness.RecordPoint.Store.NotificationAcks, a => a.NotificationId == ping.Id).ProcessingResult);

        harness.RecordPoint.Store.SetConnectorStatus("Enabled");
        var done = await host.Client.WaitForInstanceCompletionAsync(start.InstanceId, getInputsAndOutputs: true, new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(SyncOutcome.Completed, done.ReadOutputAs<FullSyncResult>()!.Outcome);
        Assert.Equal(site.Spaces.Count, harness.RecordPoint.Store.Aggregations.Count);
        Assert.NotEmpty(harness.RecordPoint.Store.Items);
    }

    [Fact]
    public async Task A_connector_disabled_mid_run_pauses_every_space_in_place_and_loses_nothing()
    {
        var site = ConfluenceSiteGenerator.Generate(new SiteSpec { Seed = 5, Spaces = 3, PagesPerSpace = 60, MaxBodyBytes = 1000 });
        await using var harness = await SyncHarness.StartAsync(site);
        harness.Settings["Sync:ConnectorPollInterval"] = "00:00:00.300";
        harness.Settings["Sync:PageSize"] = "5";
        await using var host = await harness.StartHostAsync();
        var operations = host.Services.GetRequiredService<SyncOperations>();
        var store = harness.RecordPoint.Store;

        var start = await operations.StartAsync(host.Client, CancellationToken.None);
        await WaitForAsync(() => Task.FromResult(store.Items.Count >= 10), "some records to arrive");
        store.SetConnectorStatus("Disabled");
        var status = await WaitForStatusAsync(operations, host.Client, s => s.WaitingFor is not null);
        var heldWhileDisabled = store.Items.Count;

        Assert.Contains("Enabled", status.WaitingFor);
        Assert.Equal("Running", status.State);
        store.SetConnectorStatus("Enabled");
        var done = await host.Client.WaitForInstanceCompletionAsync(start.InstanceId, getInputsAndOutputs: true, new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token);

        var result = done.ReadOutputAs<FullSyncResult>()!;
        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        var expected = site.Pages.Count(p => p.Status is "current" or "archived");
        Assert.True(heldWhileDisabled < expected, $"the run finished before the connector was disabled ({heldWhileDisabled} of {expected})");
        Assert.Equal(expected, store.Items.Count(i => site.Pages.Any(p => p.Id == i.ExternalId)));
        Assert.All(store.Items, i => Assert.Equal(1, i.Versions));
        Assert.Equal(0, result.Totals.Failures);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (!await condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60) || !await poll.WaitForNextTickAsync())
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }
        }
    }

    private static async Task<SyncStatus> WaitForStatusAsync(SyncOperations operations, DurableTaskClient client, Func<SyncStatus, bool> wanted)
    {
        SyncStatus? last = null;
        await WaitForAsync(
            async () => (last = await operations.GetStatusAsync(client, CancellationToken.None)) is { } s && wanted(s),
            "the expected status");
        return last!;
    }

    private static async Task<string> WaitForPhaseAsync(SyncOperations operations, DurableTaskClient client, Func<string, bool> wanted)
    {
        var clock = Stopwatch.StartNew();
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        string? last = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(30) && await poll.WaitForNextTickAsync())
        {
            last = (await operations.GetStatusAsync(client, CancellationToken.None))?.Phase;
            if (last is not null && wanted(last))
            {
                return last;
            }
        }

        throw new TimeoutException($"The run never reached the expected phase; last phase: {last ?? "(none)"}");
    }
}
