using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.Mapping;
using ConfluenceConnector.Core.Sync.SiteIndex;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace ConfluenceConnector.Core.Sync.Activities;

/// <summary>
/// Reads one page (up to 250) of a Space's pages or blog posts with their bodies and submits each as a Record with
/// its binaries (<see cref="RecordSubmitter"/>), as many at a time as the process's <see cref="SubmissionSlots"/> allow. In a SiteWide run the batch's comments,
/// attachments and labels come from the run's site index, read once for the whole batch. Returns counts and the next
/// link, never the content.
/// </summary>
public sealed class SyncPageBatchActivity(
    ConfluenceClient confluence,
    RecordSubmitter submitter,
    SubmissionSlots slots,
    ISiteIndex siteIndex,
    ILogger<SyncPageBatchActivity> logger) : TaskActivity<PageBatchRequest, PageBatchResult>
{
    /// <summary>How many failures one batch reports by id (the count is always exact).</summary>
    public const int MaxFailureSamples = 20;

    public override async Task<PageBatchResult> RunAsync(TaskActivityContext context, PageBatchRequest request)
    {
        var space = new SpaceRef(request.Space.Id, request.Space.Key, request.Space.Name);
        var usage = ConfluenceUsage.Begin();
        var listing = await PermanentFailures.Guard(() => request.ContentType == ContentTypes.BlogPost
            ? confluence.ListSpaceBlogPostsAsync(space.Id, request.NextLink, CancellationToken.None)
            : confluence.ListSpacePagesAsync(space.Id, request.NextLink, CancellationToken.None)).ConfigureAwait(false);

        var listed = request.Listing == ListingStrategy.SiteWide
            ? await siteIndex.GetAsync(request.RunId, [.. listing.Results.Select(p => p.Id), IndexListingPageActivity.SealId], CancellationToken.None).ConfigureAwait(false)
            : null;
        if (listed is not null)
        {
            IndexListingPageActivity.EnsureSealed(request.RunId, listed.GetValueOrDefault(IndexListingPageActivity.SealId, ContentChildren.None));
        }

        var tally = new BatchTally();
        await Parallel.ForEachAsync(
            listing.Results,
            new ParallelOptions { MaxDegreeOfParallelism = slots.Count },
            async (page, ct) => await slots.RunAsync(
                () => PermanentFailures.Guard(() => submitter.SubmitAsync(request.RunId, page, request.ContentType, space, listed?.GetValueOrDefault(page.Id, ContentChildren.None), tally, ct)),
                ct).ConfigureAwait(false)).ConfigureAwait(false);

        logger.LogInformation(
            "Space {SpaceKey}: {Pages} {ContentType}(s), {Submitted} record(s) submitted, {Unchanged} already held, {Binaries} binar(ies), {Failures} failure(s)",
            space.Key, listing.Results.Count, request.ContentType, tally.RecordsSubmitted, tally.RecordsUnchanged, tally.Binaries, tally.Failures.Count);

        return new PageBatchResult(
            listing.NextLink,
            listing.Results.Count,
            tally.RecordsSubmitted,
            tally.RecordsUnchanged,
            tally.Binaries,
            tally.BinariesSkipped,
            tally.Failures.Count,
            tally.Failures.OrderBy(f => f.ItemId, StringComparer.Ordinal).Take(MaxFailureSamples).ToList(),
            tally.Comments,
            tally.Attachments,
            tally.ContentBinaries,
            tally.CommentBinaries,
            tally.AttachmentBinaries,
            usage.Requests,
            usage.Points);
    }
}
