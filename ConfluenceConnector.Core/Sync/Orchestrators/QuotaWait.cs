using System.Globalization;
using ConfluenceConnector.Core.Confluence;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace ConfluenceConnector.Core.Sync.Orchestrators;

/// <summary>How long an orchestration sleeps on its durable timer when Confluence's quota is spent (deterministic).</summary>
internal static class QuotaWait
{
    /// <summary>Shortest wait: the reset time is rounded to whole seconds by some headers.</summary>
    public static readonly TimeSpan Minimum = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait: the quota is hourly, so a reset further away than this is not believed.</summary>
    public static readonly TimeSpan Maximum = TimeSpan.FromMinutes(65);

    /// <summary>When to try again, from the failure's message (a minute from now when it carries no time).</summary>
    public static DateTime ResumeAt(string? failureMessage, DateTime now)
    {
        var wait = QuotaExhaustedException.TryReadResumeAt(failureMessage) is { } at ? at.UtcDateTime - now : TimeSpan.FromMinutes(1);
        return now + (wait < Minimum ? Minimum : wait > Maximum ? Maximum : wait);
    }

    /// <summary>The custom status's "waiting for" text.</summary>
    public static string WaitingFor(DateTime resumeAt) =>
        $"Confluence's rate-limit quota to reset at {resumeAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC";

    /// <summary>
    /// The one way an orchestration waits for Confluence's quota: sleeps on a durable timer until the reset that
    /// <paramref name="failure"/> names (its custom status, from <paramref name="status"/>, says so meanwhile), then
    /// continues as new from <paramref name="state"/>. <paramref name="waiter"/> names the orchestration in the log.
    /// </summary>
    public static async Task WaitThenContinueAsNewAsync(TaskOrchestrationContext context, TaskFailedException failure, object state, string waiter, Func<string, object> status, ILogger logger)
    {
        var resumeAt = ResumeAt(failure.FailureDetails.ErrorMessage, context.CurrentUtcDateTime);
        logger.LogWarning("{Waiter} waits until {ResumeAt:O}: Confluence's rate-limit quota is spent", waiter, resumeAt);
        context.SetCustomStatus(status(WaitingFor(resumeAt)));
        await context.CreateTimer(resumeAt, CancellationToken.None);
        context.ContinueAsNew(state, preserveUnprocessedEvents: false);
    }
}
