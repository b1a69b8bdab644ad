using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.Sync.Activities;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace ConfluenceConnector.Core.Sync.Orchestrators;

/// <summary>
/// Walks one site-wide listing (footer comments, inline comments, attachments or labels) into the run's site index, up
/// to <see cref="PagesPerCall"/> pages per <see cref="IndexListingPageActivity"/>, and continues as new every
/// <see cref="CallsPerGeneration"/> calls. A spent Confluence quota waits on a durable timer and resumes from the same
/// link; a page that still fails after the activity's retries ends the listing with the reason (the run then fails: a
/// partial index would lose children).
/// </summary>
public sealed class SiteIndexOrchestrator : TaskOrchestrator<SiteIndexState, SiteIndexResult?>
{
    /// <summary>Listing pages one activity call walks at most (a call redoes no more than these when its worker is lost).</summary>
    public const int PagesPerCall = 10;

    /// <summary>Activity calls per orchestration generation before ContinueAsNew.</summary>
    public const int CallsPerGeneration = 10;

    public override async Task<SiteIndexResult?> RunAsync(TaskOrchestrationContext context, SiteIndexState state)
    {
        var logger = context.CreateReplaySafeLogger<SiteIndexOrchestrator>();
        var options = RetryPolicies.ForActivities(state.Settings);
        for (var i = 0; i < CallsPerGeneration; i++)
        {
            IndexListingResult walked;
            try
            {
                walked = await context.CallActivityAsync<IndexListingResult>(nameof(IndexListingPageActivity), new IndexListingRequest(state.RunId, state.Listing, state.NextLink, PagesPerCall), options);
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
                NextLink = walked.NextLink,
                Pages = state.Pages + walked.Pages,
                Objects = state.Objects + walked.Objects,
                ConfluenceRequests = state.ConfluenceRequests + walked.ConfluenceRequests,
                ConfluencePoints = state.ConfluencePoints + walked.ConfluencePoints,
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
