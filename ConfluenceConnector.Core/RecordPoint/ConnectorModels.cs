namespace ConfluenceConnector.Core.RecordPoint;

/// <summary>ConnectorConfigModel: the connector instance as RecordPoint holds it. Status is Enabled, Disabled or Error.</summary>
public sealed record ConnectorConfiguration(string? Id, string? Status, string? StatusCode, string? DisplayName, bool? ProtectionEnabled)
{
    public const string Enabled = "Enabled";

    public bool IsEnabled => string.Equals(Status, Enabled, StringComparison.OrdinalIgnoreCase);
}

/// <summary>ConnectorNotificationModel: something RecordPoint asks of the connector.</summary>
public sealed record ConnectorNotification(string? Id, string? NotificationType, DateTimeOffset? Timestamp, string? ConnectorId, NotificationItem? Item);

/// <summary>The item a notification is about (ItemSubmissionOutputModel; only its ids matter here).</summary>
public sealed record NotificationItem(string? ExternalId, string? Title);

/// <summary>ConnectorNotificationAcknowledgeModel.</summary>
public sealed record NotificationAcknowledgement(string ConnectorId, string NotificationId, string ProcessingResult, string? ConnectorStatusMessage)
{
    public const string Ok = "OK";
    public const string NotificationError = "NotificationError";
}
