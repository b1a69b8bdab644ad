using Microsoft.DurableTask;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Sync.Orchestrators;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Sync;

/// <summary>Whether a start request began a new full sync or found one already under way.</summary>
public sealed record SyncStartResult(string InstanceId, bool Started, OrchestrationRuntimeStatus? RunningStatus);

/// <summary>
/// Starts the full sync as a singleton: one fixed instance id, never started while that instance is Pending,
/// Running or Suspended (a plain start with the same id would terminate and recreate a running sync).
/// </summary>
public sealed class SyncStarter(IOptions<SyncOptions> options, ILogger<SyncStarter> logger)
{
    /// <summary>The fixed instance id of the full sync.</summary>
    public const string FullSyncInstanceId = "confluence-full-sync";

    private static readonly OrchestrationRuntimeStatus[] ActiveStatuses =
    [
        OrchestrationRuntimeStatus.Pending,
        OrchestrationRuntimeStatus.Running,
        OrchestrationRuntimeStatus.Suspended,
    ];

    /// <summary>The orchestration input of a new run, with the run-wide settings fixed now.</summary>
    public FullSyncState NewRun(int? expectedRecords = null) => new()
    {
        ExpectedRecords = expectedRecords,
        Settings = new SyncRunSettings(options.Value.MaxParallelSpaces, options.Value.ActivityMaxAttempts, options.Value.ActivityFirstRetryInterval, options.Value.IncludeBlogPosts)
        {
            ConnectorPollInterval = options.Value.ConnectorPollInterval,
            ListingStrategy = Enum.Parse<ListingStrategy>(options.Value.ListingStrategy, ignoreCase: true),
        },
    };

    public async Task<SyncStartResult> StartFullSyncAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var existing = await client.GetInstanceAsync(FullSyncInstanceId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        if (existing is not null && ActiveStatuses.Contains(existing.RuntimeStatus))
        {
            logger.LogInformation("A full sync is already {Status}: not starting another", existing.RuntimeStatus);
            return new SyncStartResult(FullSyncInstanceId, false, existing.RuntimeStatus);
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(FullSyncOrchestrator),
                NewRun(PreviousRecords(existing)),
                new StartOrchestrationOptions(FullSyncInstanceId).WithDedupeStatuses(ActiveStatuses),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The dedupe statuses refuse a start that raced with another starter; anything else is a real failure.
            var raced = await client.GetInstanceAsync(FullSyncInstanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
            if (raced is not null && ActiveStatuses.Contains(raced.RuntimeStatus))
            {
                logger.LogInformation("A full sync started concurrently: not starting another");
                return new SyncStartResult(FullSyncInstanceId, false, raced.RuntimeStatus);
            }

            throw;
        }

        logger.LogInformation("Full sync started as {InstanceId}", FullSyncInstanceId);
        return new SyncStartResult(FullSyncInstanceId, true, null);
    }

    /// <summary>The records the previous run saw, when it completed: what the new run's ETA is measured against.</summary>
    private static int? PreviousRecords(OrchestrationMetadata? previous) =>
        previous is { RuntimeStatus: OrchestrationRuntimeStatus.Completed, SerializedOutput: not null }
        && previous.ReadOutputAs<FullSyncResult>() is { Outcome: not SyncOutcome.Failed } result
            ? result.Totals.Pages + result.Totals.BlogPosts
            : null;
}
