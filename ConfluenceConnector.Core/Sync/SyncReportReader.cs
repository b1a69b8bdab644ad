using ConfluenceConnector.Core.Sync.Orchestrators;
using Microsoft.DurableTask.Client;

namespace ConfluenceConnector.Core.Sync;

/// <summary>A full sync as its orchestrations record it: the run's state and output, and each space's result.</summary>
public sealed record SyncReport(
    string InstanceId,
    OrchestrationRuntimeStatus RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    FullSyncProgress? Progress,
    FullSyncResult? Result,
    IReadOnlyList<SpaceSyncResult> Spaces,
    string? FailureMessage);

/// <summary>Reads a full sync's report from the durable client (never from the built-in check-status payload).</summary>
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
        var result = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? instance.ReadOutputAs<FullSyncResult>() : null;
        var runId = result?.RunId ?? progress?.RunId;

        var spaces = new List<SpaceSyncResult>();
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
                if (space.RuntimeStatus == OrchestrationRuntimeStatus.Completed && space.ReadOutputAs<SpaceSyncResult>() is { } spaceResult)
                {
                    spaces.Add(spaceResult);
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
            spaces.OrderBy(s => s.SpaceKey, StringComparer.OrdinalIgnoreCase).ToList(),
            instance.FailureDetails?.ErrorMessage);
    }
}
