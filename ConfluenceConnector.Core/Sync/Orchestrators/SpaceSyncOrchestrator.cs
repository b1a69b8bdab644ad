using ConfluenceConnector.Core.Confluence;
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
                    new PageBatchRequest(state.RunId, state.Space, state.NextLink, state.ContentType, state.Listing),
                    options);
            }
            catch (TaskFailedException e) when (e.FailureDetails.IsCausedBy<ConnectorDisabledException>())
            {
                await WaitUntilConnectorEnabledAsync(context, state, options, logger);
                context.ContinueAsNew(state, preserveUnprocessedEvents: false);
                return null;
            }
            catch (TaskFailedException e) when (e.FailureDetails.IsCausedBy<QuotaExhaustedException>())
            {
                await QuotaWait.WaitThenContinueAsNewAsync(context, e, state, $"Space {state.Space.Key}", waiting => new SpaceSyncProgress(state.Space.Key, state.Batches, state.Pages, state.RecordsSubmitted + state.RecordsUnchanged, state.Failures, waiting), logger);
                return null;
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
                Pages = state.Pages + (state.ContentType == ContentTypes.Page ? batch.Pages : 0),
                BlogPosts = state.BlogPosts + (state.ContentType == ContentTypes.BlogPost ? batch.Pages : 0),
                Comments = state.Comments + batch.Comments,
                Attachments = state.Attachments + batch.Attachments,
                ContentBinaries = state.ContentBinaries + batch.ContentBinaries,
                CommentBinaries = state.CommentBinaries + batch.CommentBinaries,
                AttachmentBinaries = state.AttachmentBinaries + batch.AttachmentBinaries,
                ConfluenceRequests = state.ConfluenceRequests + batch.ConfluenceRequests,
                ConfluencePoints = state.ConfluencePoints + batch.ConfluencePoints,
                RecordsSubmitted = state.RecordsSubmitted + batch.RecordsSubmitted,
                RecordsUnchanged = state.RecordsUnchanged + batch.RecordsUnchanged,
                Binaries = state.Binaries + batch.Binaries,
                BinariesSkipped = state.BinariesSkipped + batch.BinariesSkipped,
                Failures = state.Failures + batch.Failures,
                FailureSamples = [.. state.FailureSamples.Concat(batch.FailureSamples).Take(MaxFailureSamples)],
            };

            if (state.NextLink is null && state.ContentType == ContentTypes.Page && state.Settings.IncludeBlogPosts)
            {
                state = state with { ContentType = ContentTypes.BlogPost };
                continue;
            }

            if (state.NextLink is null)
            {
                logger.LogInformation("Space {SpaceKey} done: {Pages} page(s), {Failures} failure(s)", state.Space.Key, state.Pages, state.Failures);
                return Result(state, state.Failures == 0 ? SpaceSyncStatus.Completed : SpaceSyncStatus.CompletedWithFailures, null);
            }
        }

        context.ContinueAsNew(state, preserveUnprocessedEvents: false);
        return null;
    }

    /// <summary>Polls that one generation makes while the connector is disabled, before it continues as new.</summary>
    public const int ConnectorPollsPerGeneration = 20;

    /// <summary>
    /// Waits on durable timers, asking RecordPoint (never Confluence) every poll interval, until the connector is
    /// Enabled or this generation's polls are spent; the caller then retries the same batch from the same link.
    /// </summary>
    private static async Task WaitUntilConnectorEnabledAsync(TaskOrchestrationContext context, SpaceSyncState state, TaskOptions options, ILogger logger)
    {
        logger.LogWarning("Space {SpaceKey} waits: the connector is not enabled in RecordPoint", state.Space.Key);
        for (var poll = 0; poll < ConnectorPollsPerGeneration; poll++)
        {
            context.SetCustomStatus(new SpaceSyncProgress(state.Space.Key, state.Batches, state.Pages, state.RecordsSubmitted + state.RecordsUnchanged, state.Failures, "the connector to be Enabled in RecordPoint"));
            await context.CreateTimer(context.CurrentUtcDateTime + state.Settings.ConnectorPollInterval, CancellationToken.None);
            var check = await context.CallActivityAsync<ConnectorCheck>(nameof(CheckConnectorActivity), new ConnectorCheckRequest(state.RunId, ProcessNotifications: false), options);
            if (check.Enabled)
            {
                return;
            }
        }
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
        error,
        state.BlogPosts,
        state.Comments,
        state.Attachments,
        state.ContentBinaries,
        state.CommentBinaries,
        state.AttachmentBinaries,
        state.ConfluenceRequests,
        state.ConfluencePoints);
}

/// <summary>Custom status of a space sub-orchestration.</summary>
public sealed record SpaceSyncProgress(string SpaceKey, int Batches, int Pages, int Records, int Failures, string? WaitingFor = null);
