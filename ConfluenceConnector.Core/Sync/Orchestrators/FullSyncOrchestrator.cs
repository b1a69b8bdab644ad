using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.Sync.Activities;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace ConfluenceConnector.Core.Sync.Orchestrators;

/// <summary>
/// A full sync: checks the Space filter (and settles the run's listing strategy), builds the run's site index when the
/// strategy is SiteWide (one <see cref="SiteIndexOrchestrator"/> per site-wide listing, in parallel), then walks the
/// Spaces one listing page at a time (current, then archived): <see cref="SubmitSpacesPageActivity"/> submits the
/// page's aggregations, and one <see cref="SpaceSyncOrchestrator"/> per space runs with at most
/// <see cref="SyncRunSettings.MaxParallelSpaces"/> at once, the next page listed as soon as a space could start.
/// Continues as new every <see cref="SpacesPerGeneration"/> spaces, carrying only the listing position and the
/// totals. The site index is deleted when the run ends, whatever its outcome.
/// </summary>
public sealed class FullSyncOrchestrator : TaskOrchestrator<FullSyncState, FullSyncResult?>
{
    /// <summary>How many failures the run reports by id (the count is always exact).</summary>
    public const int MaxFailureSamples = 100;

    /// <summary>
    /// Spaces a generation starts before it stops listing, lets them finish and continues as new (a listing page holds
    /// up to 250 more, so a generation's history stays within a few thousand events).
    /// </summary>
    public const int SpacesPerGeneration = 250;

    public override async Task<FullSyncResult?> RunAsync(TaskOrchestrationContext context, FullSyncState state)
    {
        var logger = context.CreateReplaySafeLogger<FullSyncOrchestrator>();
        var options = RetryPolicies.ForActivities(state.Settings);

        if (state.RunId is null)
        {
            state = state with
            {
                RunId = context.NewGuid().ToString("N")[..12],
                StartedAt = context.CurrentUtcDateTime,
            };
        }

        var runId = state.RunId!;
        if (state.Listing is null)
        {
            context.SetCustomStatus(new FullSyncProgress(runId, "Checking the space filter", 0, state.Totals));
            try
            {
                var filter = await context.CallActivityAsync<SpaceFilterResolution>(nameof(ResolveSpaceFilterActivity), new SpaceFilterRequest(runId, state.Settings.ListingStrategy), options);
                state = state with { UnknownSpaceKeys = filter.UnknownKeys, Listing = filter.Listing, Totals = state.Totals with { Listing = filter.Listing } };
            }
            catch (TaskFailedException e) when (e.FailureDetails.IsCausedBy<QuotaExhaustedException>())
            {
                return await WaitForQuotaAsync(context, state, e, logger);
            }
            catch (TaskFailedException e)
            {
                return Finish(context, state, SyncOutcome.Failed, $"Could not read the spaces from Confluence: {e.FailureDetails.ErrorMessage}");
            }
        }

        context.SetCustomStatus(new FullSyncProgress(runId, "Checking the connector in RecordPoint", 0, state.Totals));
        ConnectorCheck connector;
        try
        {
            connector = await context.CallActivityAsync<ConnectorCheck>(nameof(CheckConnectorActivity), new ConnectorCheckRequest(runId, ProcessNotifications: true), options);
        }
        catch (TaskFailedException e)
        {
            return await FinishRunAsync(context, state, SyncOutcome.Failed, $"Could not read the connector from RecordPoint: {e.FailureDetails.ErrorMessage}", logger);
        }

        if (!connector.Enabled)
        {
            logger.LogWarning("Full sync {RunId} waits: {Message}", runId, connector.Message);
            context.SetCustomStatus(new FullSyncProgress(runId, FullSyncProgress.WaitingPrefix + connector.Message, 0, state.Totals));
            await context.CreateTimer(context.CurrentUtcDateTime + state.Settings.ConnectorPollInterval, CancellationToken.None);
            context.ContinueAsNew(state, preserveUnprocessedEvents: false);
            return null;
        }

        if (state.Listing == ListingStrategy.SiteWide && !state.SiteIndexBuilt)
        {
            (state, var indexError) = await BuildSiteIndexAsync(context, state, logger);
            if (indexError is not null)
            {
                logger.LogError("Full sync {RunId} fails: {Reason}", runId, indexError);
                return await FinishRunAsync(context, state, SyncOutcome.Failed, indexError, logger);
            }
        }

        (state, var stopped) = await SyncSpacesAsync(context, state);
        if (stopped is { } listing)
        {
            if (listing.Failure.FailureDetails.IsCausedBy<QuotaExhaustedException>())
            {
                return await WaitForQuotaAsync(context, state, listing.Failure, logger);
            }

            logger.LogError("Listing {Status} spaces failed: {Reason}", listing.Status, listing.Failure.FailureDetails.ErrorMessage);
            return await FinishRunAsync(context, state, SyncOutcome.Failed, $"Listing {listing.Status} spaces failed: {listing.Failure.FailureDetails.ErrorMessage}", logger);
        }

        if (state.SpaceStatusIndex < ConfluenceClient.SpaceStatuses.Count)
        {
            context.ContinueAsNew(state, preserveUnprocessedEvents: false);
            return null;
        }

        var outcome = state.Totals.Failures == 0 && state.Totals.SpacesFailed == 0 ? SyncOutcome.Completed : SyncOutcome.CompletedWithFailures;
        logger.LogInformation("Full sync {RunId} finished {Outcome}: {Spaces} space(s), {Pages} page(s)", runId, outcome, state.Totals.Spaces, state.Totals.Pages);
        return await FinishRunAsync(context, state, outcome, null, logger);
    }

    /// <summary>Confluence's quota is spent: waits on a durable timer until its reset, then continues as new from the same place.</summary>
    private static async Task<FullSyncResult?> WaitForQuotaAsync(TaskOrchestrationContext context, FullSyncState state, TaskFailedException failure, ILogger logger)
    {
        await QuotaWait.WaitThenContinueAsNewAsync(context, failure, state, $"Full sync {state.RunId}", waiting => new FullSyncProgress(state.RunId!, FullSyncProgress.WaitingPrefix + waiting, 0, state.Totals), logger);
        return null;
    }

    /// <summary>The instance id of a space's sub-orchestration: derived from the parent's id, the run and the space.</summary>
    public static string SpaceInstanceId(string parentInstanceId, string runId, string spaceId) => $"{parentInstanceId}:{runId}:{spaceId}";

    /// <summary>Prefix shared by every space sub-orchestration of one run.</summary>
    public static string SpaceInstancePrefix(string parentInstanceId, string runId) => $"{parentInstanceId}:{runId}:";

    /// <summary>The instance id of a site-wide listing's sub-orchestration (outside <see cref="SpaceInstancePrefix"/>).</summary>
    public static string SiteIndexInstanceId(string parentInstanceId, string runId, SiteListing listing) => $"{parentInstanceId}:index:{runId}:{listing}";

    /// <summary>
    /// Walks every site-wide listing into the run's site index, in parallel, and adds their cost to the totals; returns
    /// why the index is incomplete when a listing failed (the caller fails the run with it), else null.
    /// </summary>
    private static async Task<(FullSyncState State, string? Error)> BuildSiteIndexAsync(TaskOrchestrationContext context, FullSyncState state, ILogger logger)
    {
        var runId = state.RunId!;
        var startedAt = context.CurrentUtcDateTime;
        context.SetCustomStatus(new FullSyncProgress(runId, "Building the site index (comments, attachments, labels)", 0, state.Totals));
        var listings = Enum.GetValues<SiteListing>().Select(listing => context.CallSubOrchestratorAsync<SiteIndexResult?>(
            nameof(SiteIndexOrchestrator),
            new SiteIndexState { RunId = runId, Listing = listing, Settings = state.Settings },
            new SubOrchestrationOptions(retry: null, instanceId: SiteIndexInstanceId(context.InstanceId, runId, listing)))).ToList();
        var errors = new List<string>();
        var totals = state.Totals;
        foreach (var listing in listings)
        {
            try
            {
                var result = await listing ?? throw new InvalidOperationException("A site index sub-orchestration returned no result.");
                totals = totals with
                {
                    SiteIndexObjects = totals.SiteIndexObjects + result.Objects,
                    SiteIndexRequests = totals.SiteIndexRequests + result.ConfluenceRequests,
                    SiteIndexPoints = totals.SiteIndexPoints + result.ConfluencePoints,
                };
                if (result.Error is not null)
                {
                    errors.Add(result.Error);
                }
            }
            catch (TaskFailedException e)
            {
                errors.Add(e.FailureDetails.ErrorMessage);
            }
        }

        totals = totals with { SiteIndexSeconds = (context.CurrentUtcDateTime - startedAt).TotalSeconds };
        logger.LogInformation("Site index of run {RunId} built in {Seconds:F1} s: {Objects} object(s), {Requests} request(s)", runId, totals.SiteIndexSeconds, totals.SiteIndexObjects, totals.SiteIndexRequests);
        state = state with { Totals = totals, SiteIndexBuilt = true };
        return (state, errors.Count == 0 ? null : $"Building the site index failed, so no space was synced (a partial index would lose comments, attachments or labels): {string.Join(" ", errors)}");
    }

    /// <summary>Deletes the run's site index (SiteWide runs; a failed deletion is logged, not fatal), then finishes the run.</summary>
    private static async Task<FullSyncResult> FinishRunAsync(TaskOrchestrationContext context, FullSyncState state, SyncOutcome outcome, string? error, ILogger logger)
    {
        if (state.Listing == ListingStrategy.SiteWide)
        {
            try
            {
                await context.CallActivityAsync<bool>(nameof(DeleteSiteIndexActivity), state.RunId!, RetryPolicies.ForActivities(state.Settings));
            }
            catch (TaskFailedException e)
            {
                logger.LogError("The site index of run {RunId} could not be deleted: {Reason}", state.RunId, e.FailureDetails.ErrorMessage);
            }
        }

        return Finish(context, state, outcome, error);
    }

    /// <summary>
    /// Lists the spaces (current, then archived) one page at a time and syncs them, at most
    /// <see cref="SyncRunSettings.MaxParallelSpaces"/> at once: the next page is listed as soon as a space can start and
    /// none is waiting, so the spaces of the next page (the archived ones, say) start while the last ones of this page
    /// still run. Stops listing after <see cref="SpacesPerGeneration"/> spaces, lets every started space finish (a
    /// generation never ends with a sub-orchestration running) and returns; the caller continues as new from the listing
    /// position, or finishes once both statuses are listed. A listing that fails stops the listing the same way and is
    /// returned with the status it was listing.
    /// </summary>
    private static async Task<(FullSyncState State, ListingStopped? Stopped)> SyncSpacesAsync(TaskOrchestrationContext context, FullSyncState state)
    {
        var options = RetryPolicies.ForActivities(state.Settings);
        var running = new List<Task<SpaceSyncResult?>>();
        var queue = new Queue<SpaceWork>();
        var started = 0;
        ListingStopped? stopped = null;
        while (true)
        {
            while (queue.Count == 0 && running.Count < state.Settings.MaxParallelSpaces && stopped is null
                && started < SpacesPerGeneration && state.SpaceStatusIndex < ConfluenceClient.SpaceStatuses.Count)
            {
                var status = ConfluenceClient.SpaceStatuses[state.SpaceStatusIndex];
                if (running.Count == 0)
                {
                    context.SetCustomStatus(new FullSyncProgress(state.RunId!, $"Listing {status} spaces", 0, state.Totals));
                }

                try
                {
                    var spaces = await context.CallActivityAsync<SpacesPageResult>(nameof(SubmitSpacesPageActivity), new SpacesPageRequest(state.RunId!, status, state.SpacesNextLink), options);
                    state = Listed(state, spaces);
                    foreach (var space in spaces.Spaces)
                    {
                        queue.Enqueue(space);
                    }
                }
                catch (TaskFailedException e)
                {
                    stopped = new ListingStopped(e, status);
                }
            }

            while (queue.Count > 0 && running.Count < state.Settings.MaxParallelSpaces)
            {
                var space = queue.Dequeue();
                started++;
                running.Add(context.CallSubOrchestratorAsync<SpaceSyncResult?>(
                    nameof(SpaceSyncOrchestrator),
                    new SpaceSyncState { RunId = state.RunId!, Space = space, Settings = state.Settings, Listing = state.Listing ?? ListingStrategy.PerContent },
                    new SubOrchestrationOptions(retry: null, instanceId: SpaceInstanceId(context.InstanceId, state.RunId!, space.Id))));
            }

            if (running.Count == 0)
            {
                return (state, stopped);
            }

            context.SetCustomStatus(new FullSyncProgress(state.RunId!, "Syncing spaces", running.Count, state.Totals));
            var done = await Task.WhenAny(running);
            running.Remove(done);
            state = await Finished(state, done);
        }
    }

    /// <summary>The totals and listing position after a page of spaces: its next link, else the next status.</summary>
    private static FullSyncState Listed(FullSyncState state, SpacesPageResult spaces) => state with
    {
        Totals = state.Totals with
        {
            SpacesExcluded = state.Totals.SpacesExcluded + spaces.Excluded,
            Aggregations = state.Totals.Aggregations + spaces.AggregationsSubmitted,
            Failures = state.Totals.Failures + spaces.Failures.Count,
            SpacesFailed = state.Totals.SpacesFailed + spaces.Failures.Count,
        },
        FailureSamples = [.. state.FailureSamples.Concat(spaces.Failures).Take(MaxFailureSamples)],
        SpacesNextLink = spaces.NextLink,
        SpaceStatusIndex = spaces.NextLink is null ? state.SpaceStatusIndex + 1 : state.SpaceStatusIndex,
    };

    /// <summary>Adds a finished space sub-orchestration's result (or its failure) to the totals.</summary>
    private static async Task<FullSyncState> Finished(FullSyncState state, Task<SpaceSyncResult?> done)
    {
        SpaceSyncResult result;
        try
        {
            result = await done ?? throw new InvalidOperationException("A space sub-orchestration returned no result.");
        }
        catch (TaskFailedException e)
        {
            return state with
            {
                Totals = state.Totals with { Spaces = state.Totals.Spaces + 1, SpacesFailed = state.Totals.SpacesFailed + 1 },
                FailureSamples = [.. state.FailureSamples.Append(new ItemFailure("(space)", "space", e.FailureDetails.ErrorMessage)).Take(MaxFailureSamples)],
            };
        }

        return state with
        {
            Totals = state.Totals.Add(result),
            FailureSamples = result.Status == SpaceSyncStatus.Failed
                ? [.. state.FailureSamples.Append(new ItemFailure(result.SpaceId, "space", result.Error ?? "failed")).Concat(result.FailureSamples).Take(MaxFailureSamples)]
                : [.. state.FailureSamples.Concat(result.FailureSamples).Take(MaxFailureSamples)],
        };
    }

    /// <summary>A listing of spaces that failed after its retries, and the status it was listing.</summary>
    private sealed record ListingStopped(TaskFailedException Failure, string Status);

    private static FullSyncResult Finish(TaskOrchestrationContext context, FullSyncState state, SyncOutcome outcome, string? error)
    {
        var samples = error is null ? state.FailureSamples : [new ItemFailure("(run)", "run", error), .. state.FailureSamples];
        var result = new FullSyncResult(state.RunId!, outcome, state.StartedAt ?? context.CurrentUtcDateTime, context.CurrentUtcDateTime, state.Totals, state.UnknownSpaceKeys, samples);
        context.SetCustomStatus(new FullSyncProgress(state.RunId!, outcome.ToString(), 0, state.Totals));
        return result;
    }
}
