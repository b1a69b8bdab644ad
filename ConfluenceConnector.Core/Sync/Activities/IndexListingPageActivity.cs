using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.Sync.SiteIndex;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace ConfluenceConnector.Core.Sync.Activities;

/// <summary>
/// Reads one page of a site-wide listing and files its objects into the run's <see cref="ISiteIndex"/> under the page
/// or blog post they belong to (objects of any other container are not records and are left out). A page of labels
/// walks each label's pages and blog posts here and files one Label row per (content, label). Returns the next link
/// and counts, never the objects; filing is idempotent, so a page read again after a failure files nothing twice. The
/// last page of a listing also files its seal (<see cref="SealId"/>).
/// </summary>
public sealed class IndexListingPageActivity(
    ConfluenceClient confluence,
    ISiteIndex siteIndex,
    ILogger<IndexListingPageActivity> logger) : TaskActivity<IndexListingRequest, IndexListingResult>
{
    public override async Task<IndexListingResult> RunAsync(TaskActivityContext context, IndexListingRequest request)
    {
        var usage = ConfluenceUsage.Begin();
        var (rows, next) = await PermanentFailures.Guard(() => ReadAsync(request)).ConfigureAwait(false);
        var filed = rows.Count;
        if (next is null)
        {
            rows.Add(new IndexedChild(SealId, ChildKind.Label, request.Listing.ToString(), "{}"));
        }

        await siteIndex.AddAsync(request.RunId, rows, CancellationToken.None).ConfigureAwait(false);
        logger.LogInformation("Site index {RunId}: {Listing} page filed {Rows} row(s)", request.RunId, request.Listing, filed);
        return new IndexListingResult(next, filed, usage.Requests, usage.Points);
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

    private async Task<(List<IndexedChild> Rows, string? Next)> ReadAsync(IndexListingRequest request)
    {
        switch (request.Listing)
        {
            case SiteListing.FooterComments:
            case SiteListing.InlineComments:
                var inline = request.Listing == SiteListing.InlineComments;
                var comments = await confluence.ListSiteCommentsAsync(inline ? "inline" : "footer", request.NextLink, CancellationToken.None).ConfigureAwait(false);
                return (Rows(comments.Results, c => c.PageId ?? c.BlogPostId, inline ? ChildKind.InlineComment : ChildKind.FooterComment, c => c.Id), comments.NextLink);
            case SiteListing.Attachments:
                var attachments = await confluence.ListSiteAttachmentsAsync(request.NextLink, CancellationToken.None).ConfigureAwait(false);
                return (Rows(attachments.Results, a => a.PageId ?? a.BlogPostId, ChildKind.Attachment, a => a.Id), attachments.NextLink);
            case SiteListing.Labels:
                var labels = await confluence.ListSiteLabelsAsync(request.NextLink, CancellationToken.None).ConfigureAwait(false);
                var rows = new List<IndexedChild>();
                foreach (var label in labels.Results)
                {
                    var json = ContentChildren.Serialize(label);
                    foreach (var container in LabelContainers)
                    {
                        string? next = null;
                        do
                        {
                            var content = await confluence.ListLabelContentAsync(label.Id, container, next, CancellationToken.None).ConfigureAwait(false);
                            rows.AddRange(content.Results.Select(c => new IndexedChild(c.Id, ChildKind.Label, label.Id, json)));
                            next = content.NextLink;
                        }
                        while (next is not null);
                    }
                }

                return (rows, labels.NextLink);
            default:
                throw new PermanentSyncException($"Unknown site-wide listing {request.Listing}.");
        }
    }

    private static readonly string[] LabelContainers = ["pages", "blogposts"];

    private static List<IndexedChild> Rows<T>(IEnumerable<T> items, Func<T, string?> contentId, ChildKind kind, Func<T, string> id) =>
        [.. items.Where(i => contentId(i) is not null).Select(i => new IndexedChild(contentId(i)!, kind, id(i), ContentChildren.Serialize(i)))];
}
