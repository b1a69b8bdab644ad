using System.Net;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.RecordPoint;

namespace ConfluenceConnector.Core.Sync.Activities;

/// <summary>
/// Turns failures that retrying cannot fix into <see cref="PermanentSyncException"/>, and RecordPoint's
/// ConnectorNotEnabled into <see cref="ConnectorDisabledException"/> (the orchestration waits, then resumes).
/// </summary>
internal static class PermanentFailures
{
    public static Task Guard(Func<Task> call) => Guard(async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    });

    public static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ConfluenceApiException e) when (e.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new PermanentSyncException($"Confluence refused the connector's credentials ({(int)e.StatusCode!}). Check Confluence:Email and Confluence:ApiToken (or re-authorise). {e.Message}", e);
        }
        catch (RecordPointException e) when (e.Kind is RecordPointFailureKind.Forbidden)
        {
            throw new PermanentSyncException($"RecordPoint refused the connector ({(int?)e.StatusCode}): check RecordPoint:ConnectorId and the connector's credentials. {e.Message}", e);
        }
        catch (RecordPointException e) when (e.Kind is RecordPointFailureKind.ConnectorNotEnabled)
        {
            throw new ConnectorDisabledException($"The connector is not enabled in RecordPoint: the sync waits, keeping its place, until it is Enabled (Settings > Connectors). {e.Message}", e);
        }
    }
}
