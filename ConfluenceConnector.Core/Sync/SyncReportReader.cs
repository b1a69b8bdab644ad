using ConfluenceConnector.Core.Sync.Orchestrators;
using Microsoft.DurableTask.Client;

namespace ConfluenceConnector.Core.Sync;

/// <summary>
/// A full sync as its orchestrations record it: the run's state, its custom status while it runs and its output once
/// done, each finished space's result and each running space's progress.
/// </summary>
public sealed record SyncReport(
    string InstanceId,
    OrchestrationRuntimeStatus RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    FullSyncProgress? Progress,
    FullSyncResult? Result,
    IReadOnlyList<SpaceSyncResult> Spaces,
    IReadOnlyList<SpaceSyncProgress> RunningSpaces,
    string? FailureMessage,
    int? ExpectedRecords);

/// <summary>
/// Reads a full sync's report from the durable client: the one source of every view of a run (the local runner's
/// progress and summary, the ops status endpoint and page). Never the built-in check-status payload.
/// </summary>
public static class SyncReportReader
{
    public static async Task<SyncReport?> ReadAsync(DurableTaskClient client, string instanceId, bool includeSpaces, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        if (instance is null)
        {
            return null;
        }

        var progress = instance.SerializedCustomStatus is null ? null : instance.ReadCustomStatusAs<FullSyncProgress>();
        var result = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed && instance.SerializedOutput is not null ? instance.ReadOutputAs<FullSyncResult>() : null;
        var runId = result?.RunId ?? progress?.RunId;

        var spaces = new List<SpaceSyncResult>();
        var running = new List<SpaceSyncProgress>();
        if (includeSpaces && runId is not null)
        {
            var query = new OrchestrationQuery
            {
                InstanceIdPrefix = FullSyncOrchestrator.SpaceInstancePrefix(instanceId, runId),
                FetchInputsAndOutputs = true,
                PageSize = 500,
            };
            await foreach (var space in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (space.RuntimeStatus == OrchestrationRuntimeStatus.Completed && space.SerializedOutput is not null && space.ReadOutputAs<SpaceSyncResult>() is { } spaceResult)
                {
                    spaces.Add(spaceResult);
                }
                else if (space.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended
                    && space.SerializedCustomStatus is not null && space.ReadCustomStatusAs<SpaceSyncProgress>() is { } spaceProgress)
                {
                    running.Add(spaceProgress);
                }
            }
        }

        return new SyncReport(
            instanceId,
            instance.RuntimeStatus,
            instance.CreatedAt,
            instance.LastUpdatedAt,
            progress,
            result,
            [.. spaces.OrderBy(s => s.SpaceKey, StringComparer.OrdinalIgnoreCase)],
            [.. running.OrderBy(s => s.SpaceKey, StringComparer.OrdinalIgnoreCase)],
            instance.FailureDetails?.ErrorMessage,
            instance.SerializedInput is null ? null : instance.ReadInputAs<FullSyncState>()?.ExpectedRecords);
    }
}
