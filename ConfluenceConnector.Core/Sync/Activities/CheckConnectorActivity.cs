using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Operations;
using ConfluenceConnector.Core.RecordPoint;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Sync.Activities;

/// <summary>Input of <see cref="CheckConnectorActivity"/>.</summary>
public sealed record ConnectorCheckRequest(string RunId, bool ProcessNotifications);

/// <summary>Whether RecordPoint lets the connector submit now, and what it said.</summary>
public sealed record ConnectorCheck(bool Enabled, string Status, string Message);

/// <summary>
/// Reads the connector's Status switch from RecordPoint (Enabled, Disabled or Error), after acknowledging any
/// notifications RecordPoint holds for it. Orchestrations call it before they start and between batches, and wait
/// while the connector is not Enabled.
/// </summary>
public sealed class CheckConnectorActivity(
    RecordPointClient recordPoint,
    NotificationProcessor notifications,
    IOptions<RecordPointOptions> options) : TaskActivity<ConnectorCheckRequest, ConnectorCheck>
{
    public override async Task<ConnectorCheck> RunAsync(TaskActivityContext context, ConnectorCheckRequest request)
    {
        if (request.ProcessNotifications)
        {
            await PermanentFailures.Guard(() => notifications.ProcessAsync(CancellationToken.None)).ConfigureAwait(false);
        }

        var configuration = await PermanentFailures.Guard(() => recordPoint.GetConnectorConfigurationAsync(options.Value.ConnectorId!, CancellationToken.None)).ConfigureAwait(false);
        var status = configuration.Status ?? "Unknown";
        return configuration.IsEnabled
            ? new ConnectorCheck(true, status, "The connector is Enabled in RecordPoint.")
            : new ConnectorCheck(false, status, $"The connector is {status} in RecordPoint: the sync waits, keeping its place, until it is Enabled (Settings > Connectors).");
    }
}
