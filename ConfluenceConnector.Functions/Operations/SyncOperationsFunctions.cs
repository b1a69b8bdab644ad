using ConfluenceConnector.Core.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ConfluenceConnector.Functions.Operations;

/// <summary>
/// The ops endpoints (function-key protected): the status of the current or last full sync as JSON and as a page,
/// the list of runs, start, stop/suspend and resume. Each hands the request to <see cref="SyncOperations"/>.
/// </summary>
public sealed class SyncOperationsFunctions(SyncOperations operations)
{
    /// <summary>How many runs the list shows.</summary>
    public const int MaxRuns = 20;

    [Function("SyncStatus")]
    public async Task<IActionResult> Status(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "sync/status")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        await operations.GetStatusAsync(client, cancellationToken) is { } status
            ? new OkObjectResult(status)
            : NotFound("No full sync has run yet. Start one with POST /api/sync or wait for the schedule (Sync:Schedule).");

    [Function("SyncRunStatus")]
    public async Task<IActionResult> RunStatus(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "sync/status/{instanceId}")] HttpRequest request,
        string instanceId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        await operations.GetStatusAsync(client, instanceId, cancellationToken) is { } status
            ? new OkObjectResult(status)
            : NotFound($"No run '{instanceId}' in the task hub (its history may have been purged).");

    [Function("SyncRuns")]
    public async Task<IActionResult> Runs(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "sync/runs")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        new OkObjectResult(await operations.ListRunsAsync(client, MaxRuns, cancellationToken));

    [Function("SyncStatusPage")]
    public async Task<IActionResult> Page(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "sync/page")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        var status = await operations.GetStatusAsync(client, cancellationToken);
        var runs = await operations.ListRunsAsync(client, MaxRuns, cancellationToken);
        return new ContentResult { Content = StatusPage.Render(status, runs), ContentType = "text/html; charset=utf-8", StatusCode = StatusCodes.Status200OK };
    }

    [Function("StartSync")]
    public async Task<IActionResult> Start(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "sync")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        var start = await operations.StartAsync(client, cancellationToken);
        var statusUrl = $"{request.Scheme}://{request.Host}/api/sync/status";
        var body = new { start.InstanceId, Status = start.Started ? "Started" : start.RunningStatus?.ToString(), StatusUrl = statusUrl };
        return start.Started
            ? new AcceptedResult(statusUrl, body)
            : new ConflictObjectResult(body);
    }

    [Function("StopSync")]
    public async Task<IActionResult> Stop(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "sync/{instanceId}/stop")] HttpRequest request,
        string instanceId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        var modeText = request.Query["mode"].ToString();
        if (!Enum.TryParse<StopMode>(string.IsNullOrEmpty(modeText) ? nameof(StopMode.Suspend) : modeText, ignoreCase: true, out var mode) || !Enum.IsDefined(mode))
        {
            return new BadRequestObjectResult(new { Message = $"mode '{modeText}' is not known: use suspend (pause, resume later) or terminate (end the run)." });
        }

        return await operations.StopAsync(client, instanceId, mode, cancellationToken)
            ? new AcceptedResult($"{request.Scheme}://{request.Host}/api/sync/status/{Uri.EscapeDataString(instanceId)}", new { InstanceId = instanceId, Status = mode == StopMode.Suspend ? "Suspending" : "Terminating" })
            : NotFound($"No active run '{instanceId}' to stop.");
    }

    [Function("ResumeSync")]
    public async Task<IActionResult> Resume(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "sync/{instanceId}/resume")] HttpRequest request,
        string instanceId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        await operations.ResumeAsync(client, instanceId, cancellationToken)
            ? new AcceptedResult($"{request.Scheme}://{request.Host}/api/sync/status/{Uri.EscapeDataString(instanceId)}", new { InstanceId = instanceId, Status = "Resuming" })
            : NotFound($"No suspended run '{instanceId}' to resume.");

    /// <summary>Removes finished orchestrations older than Operations:HistoryRetention, nightly.</summary>
    [Function("PurgeHistoryTimer")]
    public Task PurgeHistory(
        [TimerTrigger("0 30 3 * * *")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        operations.PurgeHistoryAsync(client, cancellationToken);

    private static NotFoundObjectResult NotFound(string message) => new(new { Message = message });
}
