using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Core.Sync.Activities;
using ConfluenceConnector.Core.Sync.Orchestrators;
using ConfluenceConnector.Tests.Support;
using Microsoft.DurableTask;
using Moq;

namespace ConfluenceConnector.Tests.Sync.SiteIndex;

public sealed class SiteIndexOrchestratorTests
{
    private static readonly SiteIndexState Start = new()
    {
        RunId = "run1",
        Listing = SiteListing.Attachments,
        Settings = new SyncRunSettings(4, 3, TimeSpan.FromSeconds(1), IncludeBlogPosts: true),
    };

    private static Mock<TaskOrchestrationContext> Context(Func<IndexListingRequest, IndexListingResult> walk)
    {
        var context = OrchestrationContextMock.Create();
        context.SetupActivity<IndexListingRequest, IndexListingResult>(nameof(IndexListingPageActivity), request => Task.FromResult(walk(request)));
        return context;
    }

    [Fact]
    public async Task Each_call_asks_for_several_pages_and_a_generation_continues_as_new_with_the_link_and_the_sums()
    {
        var calls = 0;
        var context = Context(request =>
        {
            Assert.Equal(SiteIndexOrchestrator.PagesPerCall, request.MaxPages);
            Assert.Equal(SiteListing.Attachments, request.Listing);
            Assert.Equal(calls == 0 ? null : $"/wiki/next/{calls}", request.NextLink);
            calls++;
            return new IndexListingResult($"/wiki/next/{calls}", calls % 2 == 0 ? request.MaxPages : 3, 100, 11, 111);
        });
        SiteIndexState? carried = null;
        context.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), false)).Callback((object? s, bool _) => carried = (SiteIndexState)s!);

        var result = await new SiteIndexOrchestrator().RunAsync(context.Object, Start);

        Assert.Null(result);
        Assert.Equal(SiteIndexOrchestrator.CallsPerGeneration, calls);
        Assert.NotNull(carried);
        Assert.Equal($"/wiki/next/{calls}", carried.NextLink);
        Assert.Equal(Enumerable.Range(1, calls).Sum(c => c % 2 == 0 ? SiteIndexOrchestrator.PagesPerCall : 3), carried.Pages);
        Assert.Equal(100 * calls, carried.Objects);
        Assert.Equal(11 * calls, carried.ConfluenceRequests);
        Assert.Equal(111 * calls, carried.ConfluencePoints);
    }

    [Fact]
    public async Task It_ends_with_the_listing_complete_when_a_call_returns_no_next_link()
    {
        var context = Context(request => request.NextLink is null
            ? new IndexListingResult("/wiki/next", 10, 2500, 10, 2510)
            : new IndexListingResult(null, 2, 260, 2, 262));

        var result = await new SiteIndexOrchestrator().RunAsync(context.Object, Start with { Pages = 40, Objects = 9000 });

        Assert.Equal(new SiteIndexResult(SiteListing.Attachments, 52, 11760, 12, 2772, null), result);
        context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
    }

    [Fact]
    public async Task A_call_that_fails_ends_the_listing_with_the_pages_filed_and_the_link_where_it_stopped()
    {
        var context = Context(request => request.NextLink is null
            ? new IndexListingResult("/wiki/next?cursor=abc", 7, 1750, 7, 1757)
            : throw new TaskFailedException(nameof(IndexListingPageActivity), 1, new TaskFailureDetails("ConfluenceApiException", "Confluence answered 500", null, null, null)));

        var result = await new SiteIndexOrchestrator().RunAsync(context.Object, Start);

        Assert.NotNull(result);
        Assert.Equal(7, result.Pages);
        Assert.Equal("Listing Attachments failed after 7 page(s), at next link /wiki/next?cursor=abc: Confluence answered 500", result.Error);
    }
}
