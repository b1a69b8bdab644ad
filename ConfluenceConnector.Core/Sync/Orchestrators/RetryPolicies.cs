using ConfluenceConnector.Core.Confluence;
using Microsoft.DurableTask;

namespace ConfluenceConnector.Core.Sync.Orchestrators;

/// <summary>Retry options for activities: transient failures are retried with backoff; permanent ones, a disabled connector and a spent Confluence quota (the orchestration waits for those) are not.</summary>
internal static class RetryPolicies
{
    public static TaskOptions ForActivities(SyncRunSettings settings) => TaskOptions.FromRetryPolicy(
        new RetryPolicy(
            maxNumberOfAttempts: settings.ActivityMaxAttempts,
            firstRetryInterval: settings.ActivityFirstRetryInterval,
            backoffCoefficient: 2.0,
            maxRetryInterval: TimeSpan.FromMinutes(5))
        {
            HandleFailure = failure => !failure.IsCausedBy<PermanentSyncException>()
                && !failure.IsCausedBy<ConnectorDisabledException>()
                && !failure.IsCausedBy<QuotaExhaustedException>(),
        });
}
