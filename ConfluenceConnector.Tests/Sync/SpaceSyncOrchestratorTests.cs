using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Core.Sync.Activities;
using ConfluenceConnector.Core.Sync.Orchestrators;
using ConfluenceConnector.Tests.Support;
using Microsoft.DurableTask;
using Moq;

namespace ConfluenceConnector.Tests.Sync;

public sealed class SpaceSyncOrchestratorTests
{
    private static readonly SpaceSyncState Start = new()
    {
        RunId = "run1",
        Space = new SpaceWork("98305", "ENG", "Engineering"),
        Settings = new SyncRunSettings(4, 3, TimeSpan.FromSeconds(1), IncludeBlogPosts: false),
    };

    private static Mock<TaskOrchestrationContext> Context() => OrchestrationContextMock.Create();

    private static void SetupBatches(Mock<TaskOrchestrationContext> context, Func<PageBatchRequest, PageBatchResult> batch) =>
        context.SetupActivity<PageBatchRequest, PageBatchResult>(nameof(SyncPageBatchActivity), request => Task.FromResult(batch(request)));

    [Fact]
    public async Task It_continues_as_new_after_a_generation_carrying_only_the_link_and_the_totals()
    {
        var context = Context();
        var calls = 0;
        SetupBatches(context, request =>
        {
            Assert.Equal(calls == 0 ? null : $"/wiki/next/{calls}", request.NextLink);
            calls++;
            return new PageBatchResult($"/wiki/next/{calls}", 250, 240, 10, 250, 0, 1, [new ItemFailure($"p{calls}", "page", "bad")]);
        });
        SpaceSyncState? carried = null;
        context.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), false)).Callback((object? s, bool _) => carried = (SpaceSyncState)s!);

        var result = await new SpaceSyncOrchestrator().RunAsync(context.Object, Start);

        Assert.Null(result);
        Assert.Equal(SpaceSyncOrchestrator.BatchesPerGeneration, calls);
        Assert.NotNull(carried);
        Assert.Equal($"/wiki/next/{calls}", carried.NextLink);
        Assert.Equal(250 * calls, carried.Pages);
        Assert.Equal(240 * calls, carried.RecordsSubmitted);
        Assert.Equal(calls, carried.Failures);
        Assert.Equal(calls, carried.FailureSamples.Count);
    }

    [Fact]
    public async Task It_completes_when_the_listing_has_no_next_link()
    {
        var context = Context();
        SetupBatches(context, request => request.NextLink is null
            ? new PageBatchResult("/wiki/next", 250, 250, 0, 250, 0, 0, [])
            : new PageBatchResult(null, 3, 2, 1, 3, 0, 0, []));

        var result = await new SpaceSyncOrchestrator().RunAsync(context.Object, Start);

        Assert.NotNull(result);
        Assert.Equal(SpaceSyncStatus.Completed, result.Status);
        Assert.Equal(253, result.Pages);
        Assert.Equal(252, result.RecordsSubmitted);
        Assert.Equal(1, result.RecordsUnchanged);
        context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
    }

    [Fact]
    public async Task A_failed_batch_fails_the_space_and_says_where_it_stopped()
    {
        var context = Context();
        context.Setup(c => c.CallActivityAsync<PageBatchResult>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ThrowsAsync(new TaskFailedException(nameof(SyncPageBatchActivity), 1, new TaskFailureDetails("ConfluenceApiException", "GET /wiki/api/v2/spaces/98305/pages answered 500", null, null, null)));

        var result = await new SpaceSyncOrchestrator().RunAsync(context.Object, Start with { NextLink = "/wiki/next/7", Pages = 1750 });

        Assert.NotNull(result);
        Assert.Equal(SpaceSyncStatus.Failed, result.Status);
        Assert.Equal(1750, result.Pages);
        Assert.Contains("/wiki/next/7", result.Error);
        Assert.Contains("answered 500", result.Error);
    }

    [Fact]
    public async Task Failures_make_the_space_complete_with_failures()
    {
        var context = Context();
        SetupBatches(context, _ => new PageBatchResult(null, 2, 1, 0, 1, 0, 1, [new ItemFailure("9", "page", "title is required")]));

        var result = await new SpaceSyncOrchestrator().RunAsync(context.Object, Start);

        Assert.Equal(SpaceSyncStatus.CompletedWithFailures, result!.Status);
        Assert.Equal("9", Assert.Single(result.FailureSamples).ItemId);
    }

    [Fact]
    public async Task With_blog_posts_on_it_walks_the_blog_posts_after_the_pages_and_counts_them_apart()
    {
        var context = Context();
        var requests = new List<PageBatchRequest>();
        SetupBatches(context, request =>
        {
            requests.Add(request);
            return (request.ContentType, request.NextLink) switch
            {
                (ContentTypes.Page, null) => new PageBatchResult("/wiki/pages-next", 250, 250, 0, 250, 0, 0, [], Comments: 10, Attachments: 5, ContentBinaries: 250, CommentBinaries: 4, AttachmentBinaries: 5),
                (ContentTypes.Page, _) => new PageBatchResult(null, 3, 3, 0, 3, 0, 0, []),
                _ => new PageBatchResult(null, 2, 2, 0, 2, 0, 0, [], Comments: 1, ContentBinaries: 2),
            };
        });

        var result = await new SpaceSyncOrchestrator().RunAsync(context.Object, Start with { Settings = Start.Settings with { IncludeBlogPosts = true } });

        Assert.NotNull(result);
        Assert.Equal([(ContentTypes.Page, (string?)null), (ContentTypes.Page, "/wiki/pages-next"), (ContentTypes.BlogPost, null)], requests.Select(r => (r.ContentType, r.NextLink)));
        Assert.Equal(253, result.Pages);
        Assert.Equal(2, result.BlogPosts);
        Assert.Equal(11, result.Comments);
        Assert.Equal(252, result.ContentBinaries);
        Assert.Equal(4, result.CommentBinaries);
        Assert.Equal(5, result.AttachmentBinaries);
    }
}
