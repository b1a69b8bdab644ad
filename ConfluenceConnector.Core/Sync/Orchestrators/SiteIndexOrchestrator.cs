using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.Sync.Activities;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace ConfluenceConnector.Core.Sync.Orchestrators;

/// <summary>
/// Walks one site-wide listing (footer comments, inline comments, attachments or labels) into the run's site index, one
/// page per <see cref="IndexListingPageActivity"/>, and continues as new every <see cref="PagesPerGeneration"/> pages.
/// A spent Confluence quota waits on a durable timer and resumes from the same link; a page that still fails after the
/// activity's retries ends the listing with the reason (the run then fails: a partial index would lose children).
/// </summary>
public sealed class SiteIndexOrchestrator : TaskOrchestrator<SiteIndexState, SiteIndexResult?>
{
    /// <summary>Listing pages per orchestration generation before ContinueAsNew.</summary>
    public const int PagesPerGeneration = 20;

    public override async Task<SiteIndexResult?> RunAsync(TaskOrchestrationContext context, SiteIndexState state)
    {
        var logger = context.CreateReplaySafeLogger<SiteIndexOrchestrator>();
        var options = RetryPolicies.ForActivities(state.Settings);
        for (var i = 0; i < PagesPerGeneration; i++)
        {
            IndexListingResult page;
            try
            {
                page = await context.CallActivityAsync<IndexListingResult>(nameof(IndexListingPageActivity), new IndexListingRequest(state.RunId, state.Listing, state.NextLink), options);
            }
            catch (TaskFailedException e) when (e.FailureDetails.IsCausedBy<QuotaExhaustedException>())
            {
                await QuotaWait.WaitThenContinueAsNewAsync(context, e, state, $"Site index {state.Listing}", waiting => waiting, logger);
                return null;
            }
            catch (TaskFailedException e)
            {
                var reason = $"Listing {state.Listing} failed after {state.Pages} page(s), at {(state.NextLink is null ? "the first page" : "next link " + state.NextLink)}: {e.FailureDetails.ErrorMessage}";
                logger.LogError("Site index of run {RunId}: {Reason}", state.RunId, reason);
                return Result(state, reason);
            }

            state = state with
            {
                NextLink = page.NextLink,
                Pages = state.Pages + 1,
                Objects = state.Objects + page.Objects,
                ConfluenceRequests = state.ConfluenceRequests + page.ConfluenceRequests,
                ConfluencePoints = state.ConfluencePoints + page.ConfluencePoints,
            };
            if (state.NextLink is null)
            {
                return Result(state, null);
            }
        }

        context.ContinueAsNew(state, preserveUnprocessedEvents: false);
        return null;
    }

    private static SiteIndexResult Result(SiteIndexState state, string? error) =>
        new(state.Listing, state.Pages, state.Objects, state.ConfluenceRequests, state.ConfluencePoints, error);
}
