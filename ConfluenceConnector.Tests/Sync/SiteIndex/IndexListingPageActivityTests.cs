using ConfluenceConnector.Core;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Core.Sync.Activities;
using ConfluenceConnector.Core.Sync.SiteIndex;
using ConfluenceConnector.Simulators.Confluence;
using ConfluenceConnector.Tests.Support;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace ConfluenceConnector.Tests.Sync.SiteIndex;

/// <summary>
/// <see cref="IndexListingPageActivity"/> against the Confluence simulator with pages of 5 objects, filing into the
/// local runner's real site index: several pages per call, the seal only with the last page, no page read twice.
/// </summary>
public sealed class IndexListingPageActivityTests : IAsyncLifetime
{
    private const string FooterRoute = "GET /wiki/api/v2/footer-comments";

    private readonly ConfluenceSite site = ConfluenceSiteGenerator.Generate(new SiteSpec
    {
        Seed = 31,
        Spaces = 2,
        PagesPerSpace = 30,
        MaxBodyBytes = 200,
        BlogPostsPerSpace = 2,
        FooterCommentsPerPage = 1.5,
        ReplyFraction = 0.3,
        LabelsPerPage = 1.5,
    });

    private SyncHarness harness = null!;
    private ServiceProvider services = null!;
    private readonly string runId = Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync()
    {
        harness = await SyncHarness.StartAsync(site);
        harness.Settings["Sync:PageSize"] = "5";
        harness.Settings["Confluence:Resilience:MaxRetries"] = "1";
        harness.Settings["Confluence:Resilience:RetryBaseDelay"] = "00:00:00.010";
        services = Services();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await harness.DisposeAsync();
    }

    private ServiceProvider Services(Action<IServiceCollection>? configure = null)
    {
        var collection = new ServiceCollection()
            .AddLogging()
            .AddConfluenceConnector(new ConfigurationBuilder().AddInMemoryCollection(harness.Settings).Build())
            .AddSingleton<ISiteIndex>(harness.SiteIndex);
        configure?.Invoke(collection);
        return collection.BuildServiceProvider();
    }

    private static Task<IndexListingResult> WalkAsync(IServiceProvider provider, IndexListingRequest request) =>
        provider.GetRequiredService<IndexListingPageActivity>().RunAsync(Mock.Of<TaskActivityContext>(), request);

    private List<string> Records() =>
        [.. site.Pages.Concat(site.BlogPosts).Where(p => p.Status is "current" or "archived").Select(p => p.Id)];

    private int FooterComments() => site.Comments.Count(c => c.Kind == "footer" && c.Status == "current");

    /// <summary>Listings that sealed the run's index (each test walks one listing).</summary>
    private async Task<int> SealsAsync() =>
        (await harness.SiteIndex.GetAsync(runId, [IndexListingPageActivity.SealId], CancellationToken.None))[IndexListingPageActivity.SealId].Labels.Count;

    [Fact]
    public async Task One_call_walks_up_to_its_pages_files_all_of_them_and_seals_only_with_the_last_page()
    {
        var pagesInListing = (FooterComments() + 4) / 5;
        Assert.InRange(pagesInListing, 8, int.MaxValue);

        var first = await WalkAsync(services, new IndexListingRequest(runId, SiteListing.FooterComments, null, 3));

        Assert.Equal(3, first.Pages);
        Assert.Equal(15, first.Objects);
        Assert.NotNull(first.NextLink);
        Assert.Equal(3, harness.Confluence.Requests[FooterRoute]);
        Assert.Equal(3 + 15, first.ConfluencePoints);
        Assert.Equal(0, await SealsAsync());

        var rest = await WalkAsync(services, new IndexListingRequest(runId, SiteListing.FooterComments, first.NextLink, 1000));

        Assert.Null(rest.NextLink);
        Assert.Equal(pagesInListing - 3, rest.Pages);
        Assert.Equal(FooterComments(), first.Objects + rest.Objects);
        Assert.Equal(pagesInListing, harness.Confluence.Requests[FooterRoute]);
        Assert.Equal(1, await SealsAsync());
        var filed = await harness.SiteIndex.GetAsync(runId, Records(), CancellationToken.None);
        foreach (var record in Records())
        {
            var expected = site.Comments.Where(c => c.Kind == "footer" && c.Status == "current" && c.ContainerId == record).Select(c => c.Id).Order(StringComparer.Ordinal);
            Assert.Equal(expected, filed[record].Comments.Select(c => c.Id).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task A_call_that_fails_after_filing_pages_returns_them_and_the_next_call_fails_at_the_page_that_failed()
    {
        var seen = 0;
        harness.Confluence.FailNext(r => r.Path.Value == "/wiki/api/v2/footer-comments" && Interlocked.Increment(ref seen) > 4, statusCode: 500, times: 1000);

        var walked = await WalkAsync(services, new IndexListingRequest(runId, SiteListing.FooterComments, null, 1000));

        Assert.Equal(4, walked.Pages);
        Assert.Equal(20, walked.Objects);
        Assert.NotNull(walked.NextLink);
        Assert.Equal(0, await SealsAsync());

        await Assert.ThrowsAsync<ConfluenceApiException>(() => WalkAsync(services, new IndexListingRequest(runId, SiteListing.FooterComments, walked.NextLink, 1000)));
        Assert.Equal(0, await SealsAsync());

        harness.Confluence.ClearFaults();
        var rest = await WalkAsync(services, new IndexListingRequest(runId, SiteListing.FooterComments, walked.NextLink, 1000));

        Assert.Null(rest.NextLink);
        Assert.Equal(FooterComments(), walked.Objects + rest.Objects);
        Assert.Equal(1, await SealsAsync());
    }

    [Fact]
    public async Task Labels_walk_their_content_several_at_once_and_file_every_content_label_pair()
    {
        var gate = new ConcurrencyGate(path => path.StartsWith("/wiki/api/v2/labels/", StringComparison.Ordinal));
        await using var gated = Services(s => s.AddHttpClient(ConfluenceClient.HttpClientName).AddHttpMessageHandler(() => gate));

        var walked = await WalkAsync(gated, new IndexListingRequest(runId, SiteListing.Labels, null, 1000));

        Assert.Null(walked.NextLink);
        Assert.InRange(gate.MaxInFlight, 2, IndexListingPageActivity.LabelWalks);
        Assert.Equal(1, await SealsAsync());
        var filed = await harness.SiteIndex.GetAsync(runId, Records(), CancellationToken.None);
        var pairs = 0;
        foreach (var record in Records())
        {
            var expected = site.Labels.TryGetValue(record, out var labels) ? labels.Select(l => l.Id).Order(StringComparer.Ordinal).ToList() : [];
            Assert.Equal(expected, filed[record].Labels.Select(l => l.Id).Order(StringComparer.Ordinal));
            pairs += expected.Count;
        }

        Assert.Equal(pairs, walked.Objects);
        Assert.InRange(pairs, 50, int.MaxValue);
    }

    /// <summary>
    /// Holds the first matching request until a second one is in flight (so a walk that never runs two at once times
    /// out), and records the most requests in flight at once.
    /// </summary>
    private sealed class ConcurrencyGate(Func<string, bool> matches) : DelegatingHandler
    {
        private readonly TaskCompletionSource overlapped = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int inFlight;
        private int maxInFlight;

        public int MaxInFlight => Volatile.Read(ref maxInFlight);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!matches(request.RequestUri!.AbsolutePath))
            {
                return await base.SendAsync(request, cancellationToken);
            }

            var now = Interlocked.Increment(ref inFlight);
            try
            {
                var max = Volatile.Read(ref maxInFlight);
                while (now > max && Interlocked.CompareExchange(ref maxInFlight, now, max) != max)
                {
                    max = Volatile.Read(ref maxInFlight);
                }

                if (now >= 2)
                {
                    overlapped.TrySetResult();
                }

                await overlapped.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }
    }
}
