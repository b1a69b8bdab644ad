using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Confluence.OAuth;
using ConfluenceConnector.Core.Sync;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Operations;

/// <summary>A past or current run in the list of runs.</summary>
public sealed record SyncRunSummary(string InstanceId, string State, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt);

/// <summary>What an operator may do with a run.</summary>
public enum StopMode
{
    /// <summary>Pause the run where it is; resume continues from the same place.</summary>
    Suspend,

    /// <summary>End the run and its space sub-orchestrations; the next run starts over (already-held versions are not sent twice).</summary>
    Terminate,
}

/// <summary>
/// The operations behind the ops endpoints and the local runner: status, list, start, stop/suspend/resume and
/// history purge. The host adapters only translate HTTP or the command line to these calls.
/// </summary>
public sealed class SyncOperations(
    SyncStarter starter,
    TimeProvider time,
    IOptions<OperationsOptions> options,
    IOptions<ConfluenceOptions> confluence,
    ILogger<SyncOperations> logger)
{
    /// <summary>The status of the full sync (the current run, or the last one), or null when none has run.</summary>
    public Task<SyncStatus?> GetStatusAsync(DurableTaskClient client, CancellationToken cancellationToken) =>
        GetStatusAsync(client, SyncStarter.FullSyncInstanceId, cancellationToken);

    public async Task<SyncStatus?> GetStatusAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken)
    {
        var report = await SyncReportReader.ReadAsync(client, instanceId, includeSpaces: true, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            return null;
        }

        var status = SyncStatus.From(report, time.GetUtcNow());
        return status.FailureMessages.Any(m => m.Contains(OAuthConfluenceAuthenticator.ReauthorizationNeeded, StringComparison.Ordinal))
            ? status with { ActionNeeded = $"Re-authorise the connector in Confluence. {OAuthLinks.HowToAuthorize(confluence.Value)}" }
            : status;
    }

    /// <summary>Full-sync runs the task hub still holds, newest first (space sub-orchestrations are not listed).</summary>
    public async Task<IReadOnlyList<SyncRunSummary>> ListRunsAsync(DurableTaskClient client, int max, CancellationToken cancellationToken)
    {
        var runs = new List<SyncRunSummary>();
        var query = new OrchestrationQuery { InstanceIdPrefix = SyncStarter.FullSyncInstanceId, PageSize = 100 };
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!instance.InstanceId.Contains(':', StringComparison.Ordinal))
            {
                runs.Add(new SyncRunSummary(instance.InstanceId, instance.RuntimeStatus.ToString(), instance.CreatedAt, instance.LastUpdatedAt));
            }
        }

        return [.. runs.OrderByDescending(r => r.CreatedAt).Take(max)];
    }

    public Task<SyncStartResult> StartAsync(DurableTaskClient client, CancellationToken cancellationToken) =>
        starter.StartFullSyncAsync(client, cancellationToken);

    /// <summary>Suspends or terminates a running sync; false when no such run is active.</summary>
    public async Task<bool> StopAsync(DurableTaskClient client, string instanceId, StopMode mode, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        if (instance is null || instance.RuntimeStatus is not (OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended))
        {
            return false;
        }

        if (mode == StopMode.Suspend)
        {
            await client.SuspendInstanceAsync(instanceId, "Suspended by an operator", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await client.TerminateInstanceAsync(instanceId, new TerminateInstanceOptions("Terminated by an operator", Recursive: true), cancellationToken).ConfigureAwait(false);
        }

        logger.LogWarning("Full sync {InstanceId}: {Mode} by an operator", instanceId, mode);
        return true;
    }

    /// <summary>Resumes a suspended run; false when the run is not suspended.</summary>
    public async Task<bool> ResumeAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken).ConfigureAwait(false);
        if (instance?.RuntimeStatus != OrchestrationRuntimeStatus.Suspended)
        {
            return false;
        }

        await client.ResumeInstanceAsync(instanceId, "Resumed by an operator", cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Full sync {InstanceId}: resumed by an operator", instanceId);
        return true;
    }

    /// <summary>Removes the history of finished orchestrations older than <c>Operations:HistoryRetention</c>.</summary>
    public async Task<int> PurgeHistoryAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - options.Value.HistoryRetention;
        var result = await client.PurgeAllInstancesAsync(
            new PurgeInstancesFilter(
                CreatedFrom: null,
                CreatedTo: before,
                Statuses: [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated]),
            cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Purged the history of {Count} orchestration(s) created before {Before:O}", result.PurgedInstanceCount, before);
        return result.PurgedInstanceCount;
    }
}
