using System.Diagnostics;
using System.Text.RegularExpressions;
using ConfluenceConnector.Core.Operations;
using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Simulators.Confluence;
using ConfluenceConnector.Tests.Support;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ConfluenceConnector.Tests.Operations;

/// <summary>The ops status, its page and the run controls on real runs on the in-process engine.</summary>
public sealed partial class SyncStatusIntegrationTests
{
    private static readonly string[] RecordStatuses = ["current", "archived"];

    private static ConfluenceSite NewSite(int spaces, int pagesPerSpace) => ConfluenceSiteGenerator.Generate(new SiteSpec
    {
        Seed = 11,
        Spaces = spaces,
        PagesPerSpace = pagesPerSpace,
        MaxBodyBytes = 2000,
    });

    [Fact]
    public async Task The_status_of_a_finished_run_lists_every_space_with_its_counts()
    {
        var site = NewSite(spaces: 4, pagesPerSpace: 12);
        await using var harness = await SyncHarness.StartAsync(site);
        await using var host = await harness.StartHostAsync();
        await host.RunFullSyncAsync(onProgress: null, CancellationToken.None);

        var status = await host.Services.GetRequiredService<SyncOperations>().GetStatusAsync(host.Client, CancellationToken.None);

        Assert.NotNull(status);
        Assert.Equal(nameof(SyncOutcome.Completed), status.State);
        Assert.Null(status.Phase);
        Assert.Equal(site.Spaces.Select(s => s.Key).Order(StringComparer.OrdinalIgnoreCase), status.Spaces.Select(s => s.SpaceKey));
        foreach (var space in site.Spaces)
        {
            var expected = site.Pages.Count(p => p.SpaceId == space.Id && RecordStatuses.Contains(p.Status));
            var row = Assert.Single(status.Spaces, s => s.SpaceId == space.Id);
            Assert.Equal(nameof(SpaceSyncStatus.Completed), row.State);
            Assert.Equal(expected, row.Pages);
        }

        Assert.Equal(harness.RecordPoint.Store.Items.Count, status.Totals.RecordsSubmitted);
        Assert.NotNull(status.Reconciliation);
        Assert.Equal(site.Spaces.Count, status.Reconciliation.Spaces.Count);
        Assert.All(status.Reconciliation.Spaces, r => Assert.Equal(0, r.Differences));
        Assert.Null(status.ActionNeeded);
        var run = Assert.Single(await host.Services.GetRequiredService<SyncOperations>().ListRunsAsync(host.Client, 10, CancellationToken.None));
        Assert.Equal(SyncStarter.FullSyncInstanceId, run.InstanceId);
    }

    [Fact]
    public async Task A_suspended_run_keeps_its_place_and_finishes_after_resume()
    {
        var site = NewSite(spaces: 6, pagesPerSpace: 80);
        await using var harness = await SyncHarness.StartAsync(site);
        harness.Settings["Sync:PageSize"] = "5";
        harness.Settings["Sync:MaxParallelSpaces"] = "1";
        await using var host = await harness.StartHostAsync();
        var operations = host.Services.GetRequiredService<SyncOperations>();

        var start = await operations.StartAsync(host.Client, CancellationToken.None);
        Assert.True(start.Started);
        Assert.True(await operations.StopAsync(host.Client, start.InstanceId, StopMode.Suspend, CancellationToken.None));
        var suspended = await WaitForAsync(host.Client, start.InstanceId, OrchestrationRuntimeStatus.Suspended);
        var heldWhileSuspended = harness.RecordPoint.Store.Items.Count;

        Assert.False((await operations.StartAsync(host.Client, CancellationToken.None)).Started);
        Assert.True(await operations.ResumeAsync(host.Client, start.InstanceId, CancellationToken.None));
        var done = await host.Client.WaitForInstanceCompletionAsync(start.InstanceId, getInputsAndOutputs: true, new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token);

        Assert.Equal(OrchestrationRuntimeStatus.Suspended, suspended);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var expected = site.Pages.Count(p => RecordStatuses.Contains(p.Status));
        Assert.True(heldWhileSuspended < expected, $"the run had already finished before it was suspended ({heldWhileSuspended} of {expected})");
        Assert.Equal(expected, harness.RecordPoint.Store.Items.Count);
        Assert.All(harness.RecordPoint.Store.Items, i => Assert.Equal(1, i.Versions));
    }

    [Fact]
    public async Task The_page_shows_a_progress_bar_per_space_and_the_failures_table_in_a_browser()
    {
        var site = NewSite(spaces: 3, pagesPerSpace: 6);
        var rejected = site.Pages.First(p => RecordStatuses.Contains(p.Status));
        await using var harness = await SyncHarness.StartAsync(site);
        harness.RecordPoint.FailNext(r => r.Path.Value == "/connector/api/Items" && Http.BodyContains(r, $"\"externalId\":\"{rejected.Id}\""), statusCode: 400, times: 1);
        await using var host = await harness.StartHostAsync();
        await host.RunFullSyncAsync(onProgress: null, CancellationToken.None);
        var operations = host.Services.GetRequiredService<SyncOperations>();
        var html = StatusPage.Render(
            await operations.GetStatusAsync(host.Client, CancellationToken.None),
            await operations.ListRunsAsync(host.Client, 10, CancellationToken.None));

        var dom = await Chromium.DumpDomAsync(html);

        Assert.Equal(site.Spaces.Count, ProgressBarAt100().Matches(dom).Count);
        Assert.Matches("<span class=\"state\" id=\"state\">CompletedWithFailures</span>", dom);
        var failures = dom[dom.IndexOf("<table id=\"failures\">", StringComparison.Ordinal)..];
        failures = failures[..failures.IndexOf("</table>", StringComparison.Ordinal)];
        Assert.Contains($"<td>{rejected.Id}</td>", failures);
        Assert.Contains("answered 400", failures);
    }

    private static async Task<OrchestrationRuntimeStatus> WaitForAsync(DurableTaskClient client, string instanceId, OrchestrationRuntimeStatus wanted)
    {
        var clock = Stopwatch.StartNew();
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (clock.Elapsed < TimeSpan.FromSeconds(30) && await poll.WaitForNextTickAsync())
        {
            var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false);
            if (instance?.RuntimeStatus == wanted)
            {
                return wanted;
            }
        }

        return (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false))!.RuntimeStatus;
    }

    [GeneratedRegex("role=\"progressbar\"[^>]*aria-valuenow=\"100\"")]
    private static partial Regex ProgressBarAt100();
}
