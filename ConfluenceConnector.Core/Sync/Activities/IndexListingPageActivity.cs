using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.Sync.SiteIndex;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace ConfluenceConnector.Core.Sync.Activities;

/// <summary>
/// Walks up to <see cref="IndexListingRequest.MaxPages"/> pages of a site-wide listing and files their objects into
/// the run's <see cref="ISiteIndex"/> under the page or blog post they belong to (objects of any other container are
/// not records and are left out). The next page is fetched while the current one is filed (its link comes from the
/// page before, so the fetches themselves stay one after another). A page of labels walks each label's pages and blog
/// posts here, <see cref="LabelWalks"/> walks at once, and files one Label row per (content, label). Returns the link
/// of the first page not filed and counts, never the objects; filing is idempotent, so a page read again after a
/// failure files nothing twice. A call that filed some pages and then fails returns what it filed: the next call
/// starts at the page that failed and meets the failure there (with its retries). The last page of a listing also
/// files its seal (<see cref="SealId"/>).
/// </summary>
public sealed class IndexListingPageActivity(
    ConfluenceClient confluence,
    ISiteIndex siteIndex,
    ILogger<IndexListingPageActivity> logger) : TaskActivity<IndexListingRequest, IndexListingResult>
{
    /// <summary>Label content walks (one label's pages, or its blog posts) run at once: well under a burst limit of 100 calls per endpoint per second.</summary>
    public const int LabelWalks = 4;

    public override async Task<IndexListingResult> RunAsync(TaskActivityContext context, IndexListingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var usage = ConfluenceUsage.Begin();
        var link = request.NextLink;
        var pages = 0;
        var objects = 0;
        Task<ListedPage>? reading = ReadAsync(request.Listing, link);
        try
        {
            while (reading is not null)
            {
                var page = await reading.ConfigureAwait(false);
                reading = page.Next is not null && pages + 1 < request.MaxPages ? ReadAsync(request.Listing, page.Next) : null;
                var rows = page.Rows;
                var filed = rows.Count;
                if (page.Next is null)
                {
                    rows.Add(new IndexedChild(SealId, ChildKind.Label, request.Listing.ToString(), "{}"));
                }

                await siteIndex.AddAsync(request.RunId, rows, CancellationToken.None).ConfigureAwait(false);
                pages++;
                objects += filed;
                link = page.Next;
            }
        }
        catch (Exception e) when (pages > 0)
        {
            logger.LogWarning(e, "Site index {RunId}: {Listing} stopped after {Pages} page(s); the next call starts at {NextLink}", request.RunId, request.Listing, pages, link);
        }
        finally
        {
            if (reading is not null)
            {
                await ((Task)reading).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        logger.LogInformation("Site index {RunId}: {Listing} filed {Pages} page(s), {Rows} row(s)", request.RunId, request.Listing, pages, objects);
        return new IndexListingResult(link, pages, objects, usage.Requests, usage.Points);
    }

    /// <summary>
    /// The content id under which each listing files one row when its last page is filed (no content id looks like it):
    /// a batch that finds fewer seals than listings is reading an index that is missing or incomplete, and fails
    /// instead of submitting records without their children.
    /// </summary>
    public const string SealId = "~site-index";

    /// <summary>Throws unless every site-wide listing sealed the run's index (<paramref name="seal"/>: what the index holds under <see cref="SealId"/>).</summary>
    public static void EnsureSealed(string runId, ContentChildren seal)
    {
        var sealedListings = seal.Labels.Count;
        if (sealedListings < Enum.GetValues<SiteListing>().Length)
        {
            throw new InvalidOperationException($"The site index of run {runId} holds {sealedListings} of {Enum.GetValues<SiteListing>().Length} finished listings: it is missing from this host's store or incomplete, so records cannot be given their comments, attachments and labels.");
        }
    }

    /// <summary>One listing page's rows and the link of the page after it.</summary>
    private sealed record ListedPage(List<IndexedChild> Rows, string? Next);

    private Task<ListedPage> ReadAsync(SiteListing listing, string? link) => PermanentFailures.Guard(async () =>
    {
        switch (listing)
        {
            case SiteListing.FooterComments:
            case SiteListing.InlineComments:
                var inline = listing == SiteListing.InlineComments;
                var comments = await confluence.ListSiteCommentsAsync(inline ? "inline" : "footer", link, CancellationToken.None).ConfigureAwait(false);
                return new ListedPage(Rows(comments.Results, c => c.PageId ?? c.BlogPostId, inline ? ChildKind.InlineComment : ChildKind.FooterComment, c => c.Id), comments.NextLink);
            case SiteListing.Attachments:
                var attachments = await confluence.ListSiteAttachmentsAsync(link, CancellationToken.None).ConfigureAwait(false);
                return new ListedPage(Rows(attachments.Results, a => a.PageId ?? a.BlogPostId, ChildKind.Attachment, a => a.Id), attachments.NextLink);
            case SiteListing.Labels:
                var labels = await confluence.ListSiteLabelsAsync(link, CancellationToken.None).ConfigureAwait(false);
                return new ListedPage(await LabelledAsync(labels.Results).ConfigureAwait(false), labels.NextLink);
            default:
                throw new PermanentSyncException($"Unknown site-wide listing {listing}.");
        }
    });

    /// <summary>One row per (content, label) of <paramref name="labels"/>: each label's pages and blog posts, <see cref="LabelWalks"/> walks at once.</summary>
    private async Task<List<IndexedChild>> LabelledAsync(IReadOnlyList<Label> labels)
    {
        var rows = new List<IndexedChild>();
        var walks = labels.Select(label => (Label: label, Json: ContentChildren.Serialize(label)))
            .SelectMany(labelled => LabelContainers.Select(container => (labelled.Label, labelled.Json, Container: container)));
        await Parallel.ForEachAsync(walks, new ParallelOptions { MaxDegreeOfParallelism = LabelWalks }, async (walk, cancellationToken) =>
        {
            var found = new List<IndexedChild>();
            string? next = null;
            do
            {
                var content = await confluence.ListLabelContentAsync(walk.Label.Id, walk.Container, next, cancellationToken).ConfigureAwait(false);
                found.AddRange(content.Results.Select(c => new IndexedChild(c.Id, ChildKind.Label, walk.Label.Id, walk.Json)));
                next = content.NextLink;
            }
            while (next is not null);

            lock (rows)
            {
                rows.AddRange(found);
            }
        }).ConfigureAwait(false);
        return rows;
    }

    private static readonly string[] LabelContainers = ["pages", "blogposts"];

    private static List<IndexedChild> Rows<T>(IEnumerable<T> items, Func<T, string?> contentId, ChildKind kind, Func<T, string> id) =>
        [.. items.Where(i => contentId(i) is not null).Select(i => new IndexedChild(contentId(i)!, kind, id(i), ContentChildren.Serialize(i)))];
}
