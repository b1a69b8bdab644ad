using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.RecordPoint;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Operations;

/// <summary>What one poll of RecordPoint's notifications did.</summary>
public sealed record NotificationsProcessed(int Acknowledged, int Refused, bool ConfigurationChanged);

/// <summary>
/// Polls RecordPoint's notifications for this connector and acknowledges each one truthfully: OK for what was done,
/// NotificationError with the reason for what this read-only connector cannot do (never OK for work not done).
/// </summary>
public sealed class NotificationProcessor(RecordPointClient recordPoint, IOptions<RecordPointOptions> options, ILogger<NotificationProcessor> logger)
{
    /// <summary>Why an ItemDestroyed request cannot be carried out.</summary>
    public const string ReadOnlyReason =
        "This connector has read-only access to Confluence (no write or delete scopes, by design) and cannot delete content there. " +
        "Delete the page in Confluence by hand if the disposal requires it.";

    public async Task<NotificationsProcessed> ProcessAsync(CancellationToken cancellationToken)
    {
        var connectorId = options.Value.ConnectorId!;
        var notifications = await recordPoint.GetNotificationsAsync(connectorId, cancellationToken).ConfigureAwait(false);
        int ok = 0, refused = 0;
        var configurationChanged = false;
        foreach (var notification in notifications)
        {
            if (string.IsNullOrEmpty(notification.Id))
            {
                continue;
            }

            var (result, message) = notification.NotificationType switch
            {
                "Ping" => (NotificationAcknowledgement.Ok, "Connector is running."),
                "ConnectorConfigCreated" or "ConnectorConfigUpdated" => (NotificationAcknowledgement.Ok, "Configuration reloaded; it applies from the next batch."),
                "ItemDestroyed" => (NotificationAcknowledgement.NotificationError, $"{ReadOnlyReason} Item: {notification.Item?.ExternalId ?? "(not given)"}."),
                _ => (NotificationAcknowledgement.NotificationError, $"Notification type '{notification.NotificationType}' is not supported by the Confluence Cloud connector."),
            };
            configurationChanged |= notification.NotificationType is "ConnectorConfigCreated" or "ConnectorConfigUpdated";

            await recordPoint.AcknowledgeNotificationAsync(new NotificationAcknowledgement(connectorId, notification.Id, result, message), cancellationToken).ConfigureAwait(false);
            if (result == NotificationAcknowledgement.Ok)
            {
                ok++;
            }
            else
            {
                refused++;
                logger.LogWarning("Refused RecordPoint notification {NotificationId} ({Type}): {Reason}", notification.Id, notification.NotificationType, message);
            }
        }

        return new NotificationsProcessed(ok, refused, configurationChanged);
    }
}
