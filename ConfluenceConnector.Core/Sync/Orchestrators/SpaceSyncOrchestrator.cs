using ConfluenceConnector.Core.Sync.Activities;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace ConfluenceConnector.Core.Sync.Orchestrators;

/// <summary>
/// Syncs one Space: walks its pages one listing page at a time, each handed to <see cref="SyncPageBatchActivity"/>,
/// and continues as new every <see cref="BatchesPerGeneration"/> batches so its history stays small whatever the
/// space's size. State carried over: the next link and the running totals.
/// </summary>
public sealed class SpaceSyncOrchestrator : TaskOrchestrator<SpaceSyncState, SpaceSyncResult?>
{
    /// <summary>Batches per orchestration generation before ContinueAsNew.</summary>
    public const int BatchesPerGeneration = 10;

    /// <summary>How many failures a space reports by id (the count is always exact).</summary>
    public const int MaxFailureSamples = 50;

    public override async Task<SpaceSyncResult?> RunAsync(TaskOrchestrationContext context, SpaceSyncState state)
    {
        var logger = context.CreateReplaySafeLogger<SpaceSyncOrchestrator>();
        var options = RetryPolicies.ForActivities(state.Settings);

        for (var i = 0; i < BatchesPerGeneration; i++)
        {
            context.SetCustomStatus(new SpaceSyncProgress(state.Space.Key, state.Batches, state.Pages, state.RecordsSubmitted + state.RecordsUnchanged, state.Failures));
            PageBatchResult batch;
            try
            {
                batch = await context.CallActivityAsync<PageBatchResult>(
                    nameof(SyncPageBatchActivity),
                    new PageBatchRequest(state.RunId, state.Space, state.NextLink),
                    options);
            }
            catch (TaskFailedException e)
            {
                var reason = e.FailureDetails.ErrorMessage;
                logger.LogError("Space {SpaceKey} stopped after {Pages} page(s): {Reason}", state.Space.Key, state.Pages, reason);
                return Result(state, SpaceSyncStatus.Failed, $"Listing or submission failed after {state.Pages} page(s), at {(state.NextLink is null ? "the first page" : "next link " + state.NextLink)}: {reason}");
            }

            state = state with
            {
                NextLink = batch.NextLink,
                Batches = state.Batches + 1,
                Pages = state.Pages + batch.Pages,
                RecordsSubmitted = state.RecordsSubmitted + batch.RecordsSubmitted,
                RecordsUnchanged = state.RecordsUnchanged + batch.RecordsUnchanged,
                Binaries = state.Binaries + batch.Binaries,
                BinariesSkipped = state.BinariesSkipped + batch.BinariesSkipped,
                Failures = state.Failures + batch.Failures,
                FailureSamples = [.. state.FailureSamples.Concat(batch.FailureSamples).Take(MaxFailureSamples)],
            };

            if (state.NextLink is null)
            {
                logger.LogInformation("Space {SpaceKey} done: {Pages} page(s), {Failures} failure(s)", state.Space.Key, state.Pages, state.Failures);
                return Result(state, state.Failures == 0 ? SpaceSyncStatus.Completed : SpaceSyncStatus.CompletedWithFailures, null);
            }
        }

        context.ContinueAsNew(state, preserveUnprocessedEvents: false);
        return null;
    }

    private static SpaceSyncResult Result(SpaceSyncState state, SpaceSyncStatus status, string? error) => new(
        state.Space.Id,
        state.Space.Key,
        state.Space.Name,
        status,
        state.Pages,
        state.RecordsSubmitted,
        state.RecordsUnchanged,
        state.Binaries,
        state.BinariesSkipped,
        state.Failures,
        state.FailureSamples,
        error);
}

/// <summary>Custom status of a space sub-orchestration.</summary>
public sealed record SpaceSyncProgress(string SpaceKey, int Batches, int Pages, int Records, int Failures);
