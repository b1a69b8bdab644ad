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

/// <summary>A running full sync: the run's own status and the progress of each space under way.</summary>
public sealed record LiveProgress(FullSyncProgress Run, IReadOnlyList<SpaceSyncProgress> RunningSpaces);

/// <summary>Reads a full sync's report from the durable client (never from the built-in check-status payload).</summary>
public static class SyncReportReader
{
    /// <summary>The run's custom status and that of every space sub-orchestration still running; null before the run reports.</summary>
    public static async Task<LiveProgress?> ReadProgressAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        if (instance?.SerializedCustomStatus is null || instance.ReadCustomStatusAs<FullSyncProgress>() is not { } run)
        {
            return null;
        }

        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = FullSyncOrchestrator.SpaceInstancePrefix(instanceId, run.RunId),
            Statuses = [OrchestrationRuntimeStatus.Running],
            FetchInputsAndOutputs = true,
            PageSize = 500,
        };
        var spaces = new List<SpaceSyncProgress>();
        await foreach (var space in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (space.SerializedCustomStatus is not null && space.ReadCustomStatusAs<SpaceSyncProgress>() is { } progress)
            {
                spaces.Add(progress);
            }
        }

        return new LiveProgress(run, spaces);
    }

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
