using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Core.Sync.Activities;
using ConfluenceConnector.Core.Sync.Orchestrators;
using ConfluenceConnector.Tests.Support;
using Microsoft.DurableTask;
using Moq;

namespace ConfluenceConnector.Tests.Sync;

/// <summary>How the full sync lists spaces and keeps its space sub-orchestrations running (the engine's calls mocked).</summary>
public sealed class FullSyncOrchestratorTests
{
    private static readonly FullSyncState Start = new()
    {
        RunId = "run1",
        Listing = ListingStrategy.PerContent,
        Settings = new SyncRunSettings(MaxParallelSpaces: 2, ActivityMaxAttempts: 3, ActivityFirstRetryInterval: TimeSpan.FromSeconds(1)),
    };

    private readonly Mock<TaskOrchestrationContext> context = OrchestrationContextMock.Create();
    private readonly Dictionary<string, TaskCompletionSource<SpaceSyncResult?>> spaces = [];
    private readonly List<string> events = [];
    private readonly Dictionary<string, TaskCompletionSource> signals = [];

    public FullSyncOrchestratorTests()
    {
        context.SetupGet(c => c.InstanceId).Returns("confluence-full-sync");
        context.SetupActivity<object?, ConnectorCheck>(nameof(CheckConnectorActivity), _ => Task.FromResult(new ConnectorCheck(true, "Enabled", "enabled")));
        context.Setup(c => c.CallSubOrchestratorAsync<SpaceSyncResult?>(It.Is<TaskName>(n => n.Name == nameof(SpaceSyncOrchestrator)), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName _, object? input, TaskOptions? _) =>
            {
                var key = ((SpaceSyncState)input!).Space.Key;
                spaces[key] = new TaskCompletionSource<SpaceSyncResult?>(TaskCreationOptions.RunContinuationsAsynchronously);
                Happened("start " + key);
                return spaces[key].Task;
            });
    }

    private void SpacePages(Func<SpacesPageRequest, SpacesPageResult> page) =>
        context.SetupActivity<SpacesPageRequest, SpacesPageResult>(nameof(SubmitSpacesPageActivity), request =>
        {
            Happened("list " + request.Status);
            return Task.FromResult(page(request));
        });

    private static SpacesPageResult Page(string? next, params string[] keys) =>
        new([.. keys.Select(k => new SpaceWork("id-" + k, k, k))], next, 0, keys.Length, []);

    private void Finish(string key, int pages) =>
        spaces[key].SetResult(new SpaceSyncResult("id-" + key, key, key, SpaceSyncStatus.Completed, pages, pages, 0, pages, 0, 0, [], null));

    private void Happened(string what)
    {
        lock (signals)
        {
            events.Add(what);
            Signal(what).TrySetResult();
        }
    }

    /// <summary>Completes when the orchestration has done <paramref name="what"/> ("start ENG", "list archived").</summary>
    private Task When(string what)
    {
        lock (signals)
        {
            return Signal(what).Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    private TaskCompletionSource Signal(string what)
    {
        if (!signals.TryGetValue(what, out var signal))
        {
            signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            signals[what] = signal;
        }

        return signal;
    }

    [Fact]
    public async Task The_archived_spaces_start_as_soon_as_a_current_space_is_done_not_after_the_last_one()
    {
        SpacePages(request => request.Status == "current" ? Page(null, "ENG", "HR", "OPS") : Page(null, "OLD"));

        var run = new FullSyncOrchestrator().RunAsync(context.Object, Start);
        await When("start HR");
        Finish("ENG", 10);
        await When("start OPS");
        Finish("HR", 20);

        // OPS still runs: the archived page is listed and its space started beside it.
        await When("start OLD");
        Assert.False(run.IsCompleted);
        Finish("OPS", 30);
        Finish("OLD", 40);
        var result = await run;

        Assert.Equal(["list current", "start ENG", "start HR", "start OPS", "list archived", "start OLD"], events);
        Assert.NotNull(result);
        Assert.Equal(SyncOutcome.Completed, result.Outcome);
        Assert.Equal(4, result.Totals.Spaces);
        Assert.Equal(100, result.Totals.Pages);
        context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
    }

    [Fact]
    public async Task A_listing_that_fails_while_spaces_run_lets_them_finish_counts_them_and_fails_the_run_naming_the_listing()
    {
        SpacePages(request => request.Status == "current"
            ? Page(null, "ENG", "HR")
            : throw new TaskFailedException(nameof(SubmitSpacesPageActivity), 2, new TaskFailureDetails("ConfluenceApiException", "GET /wiki/api/v2/spaces answered 500", null, null, null)));

        var run = new FullSyncOrchestrator().RunAsync(context.Object, Start);
        await When("start HR");
        Finish("ENG", 10);
        await When("list archived");
        Assert.False(run.IsCompleted);
        Finish("HR", 20);
        var result = await run;

        Assert.NotNull(result);
        Assert.Equal(SyncOutcome.Failed, result.Outcome);
        Assert.Equal(2, result.Totals.Spaces);
        Assert.Equal(30, result.Totals.Pages);
        Assert.Contains(result.FailureSamples, f => f.Reason.Contains("Listing archived spaces failed", StringComparison.Ordinal) && f.Reason.Contains("answered 500", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_generation_stops_listing_after_its_share_of_spaces_lets_them_finish_and_continues_as_new_from_the_listing_position()
    {
        var listed = 0;
        SpacePages(request =>
        {
            listed++;
            return Page($"/wiki/api/v2/spaces?cursor={listed}", [.. Enumerable.Range(0, 100).Select(i => $"S{listed}-{i}")]);
        });
        context.Setup(c => c.CallSubOrchestratorAsync<SpaceSyncResult?>(It.Is<TaskName>(n => n.Name == nameof(SpaceSyncOrchestrator)), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName _, object? input, TaskOptions? _) =>
            {
                var key = ((SpaceSyncState)input!).Space.Key;
                return Task.FromResult<SpaceSyncResult?>(new SpaceSyncResult("id-" + key, key, key, SpaceSyncStatus.Completed, 1, 1, 0, 1, 0, 0, [], null));
            });
        FullSyncState? carried = null;
        context.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), false)).Callback((object? s, bool _) => carried = (FullSyncState)s!);

        var result = await new FullSyncOrchestrator().RunAsync(context.Object, Start);

        Assert.Null(result);
        Assert.Equal(3, listed);
        Assert.NotNull(carried);
        Assert.Equal(300, carried.Totals.Spaces);
        Assert.Equal("/wiki/api/v2/spaces?cursor=3", carried.SpacesNextLink);
        Assert.Equal(0, carried.SpaceStatusIndex);
    }
}
