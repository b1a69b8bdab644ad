namespace ConfluenceConnector.Simulators.RecordPoint;

/// <summary>One source property as submitted (value kept as text; non-string JSON values as their raw JSON).</summary>
public sealed record StoredProperty(string Name, string? DisplayName, string? Type, string? Value);

/// <summary>One submitted version of an aggregation.</summary>
public sealed record AggregationVersion
{
    public required string ConnectorId { get; init; }
    public required string ExternalId { get; init; }
    public required string Title { get; init; }
    public string? Author { get; init; }
    public string? ParentExternalId { get; init; }
    public string? Location { get; init; }
    public string? MediaType { get; init; }
    public required string SourceCreatedBy { get; init; }
    public required DateTimeOffset SourceCreatedDate { get; init; }
    public required string SourceLastModifiedBy { get; init; }
    public required DateTimeOffset SourceLastModifiedDate { get; init; }
    public string? CorrelationId { get; init; }
    public IReadOnlyList<StoredProperty> SourceProperties { get; init; } = [];
    public DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>Latest version of an aggregation plus its history.</summary>
public sealed class StoredAggregation(IReadOnlyList<AggregationVersion> history)
{
    public AggregationVersion Latest { get; } = history[^1];
    public IReadOnlyList<AggregationVersion> History { get; } = history;
    public int Versions => History.Count;
    public string ConnectorId => Latest.ConnectorId;
    public string ExternalId => Latest.ExternalId;
    public string Title => Latest.Title;
    public string? Author => Latest.Author;
    public string? ParentExternalId => Latest.ParentExternalId;
    public string? Location => Latest.Location;
    public string? MediaType => Latest.MediaType;
    public string SourceCreatedBy => Latest.SourceCreatedBy;
    public DateTimeOffset SourceCreatedDate => Latest.SourceCreatedDate;
    public string SourceLastModifiedBy => Latest.SourceLastModifiedBy;
    public DateTimeOffset SourceLastModifiedDate => Latest.SourceLastModifiedDate;
    public IReadOnlyList<StoredProperty> SourceProperties => Latest.SourceProperties;
}

/// <summary>One submitted version of an item (record), with every field of the input model.</summary>
public sealed record ItemVersion
{
    public required string ConnectorId { get; init; }
    public required string ExternalId { get; init; }
    public required string ParentExternalId { get; init; }
    public required string Title { get; init; }
    public required string Author { get; init; }
    public required string ContentVersion { get; init; }
    public required string Location { get; init; }
    public required string MediaType { get; init; }
    public string? MimeType { get; init; }
    public required string SourceCreatedBy { get; init; }
    public required DateTimeOffset SourceCreatedDate { get; init; }
    public required string SourceLastModifiedBy { get; init; }
    public required DateTimeOffset SourceLastModifiedDate { get; init; }
    public string? CorrelationId { get; init; }
    public string? SecurityProfileIdentifier { get; init; }
    public IReadOnlyList<StoredProperty> SourceProperties { get; init; } = [];
    public IReadOnlyList<string> BinariesSubmitted { get; init; } = [];

    /// <summary>"Found" when the parent aggregation was known when this version arrived, else "Pending".</summary>
    public required string AggregationStatus { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>Latest version of an item plus every submitted version.</summary>
public sealed class StoredItem(IReadOnlyList<ItemVersion> history)
{
    public ItemVersion Latest { get; } = history[^1];
    public IReadOnlyList<ItemVersion> History { get; } = history;
    public int Versions => History.Count;
    public string ConnectorId => Latest.ConnectorId;
    public string ExternalId => Latest.ExternalId;
    public string ParentExternalId => Latest.ParentExternalId;
    public string Title => Latest.Title;
    public string Author => Latest.Author;
    public string ContentVersion => Latest.ContentVersion;
    public string Location => Latest.Location;
    public string MediaType => Latest.MediaType;
    public string? MimeType => Latest.MimeType;
    public string SourceCreatedBy => Latest.SourceCreatedBy;
    public DateTimeOffset SourceCreatedDate => Latest.SourceCreatedDate;
    public string SourceLastModifiedBy => Latest.SourceLastModifiedBy;
    public DateTimeOffset SourceLastModifiedDate => Latest.SourceLastModifiedDate;
    public IReadOnlyList<StoredProperty> SourceProperties => Latest.SourceProperties;
    public string AggregationStatus => Latest.AggregationStatus;
}

/// <summary>One committed version of a binary.</summary>
public sealed record BinaryVersion
{
    public required string ConnectorId { get; init; }
    public required string ItemExternalId { get; init; }
    public required string BinaryExternalId { get; init; }
    public string? FileName { get; init; }
    public string? MimeType { get; init; }
    public long FileSize { get; init; }
    public string? FileHash { get; init; }
    public DateTimeOffset? SourceLastModifiedDate { get; init; }
    public DateTimeOffset? ItemSourceLastModifiedDate { get; init; }
    public string? CorrelationId { get; init; }
    public string? Location { get; init; }
    public required byte[] Content { get; init; }

    /// <summary>Blob metadata (ItemBinary_FileName, ItemBinary_CorrelationId, ...); empty for the legacy path.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>"SAS" or "Legacy".</summary>
    public required string SubmittedVia { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>Latest committed version of a binary plus its history.</summary>
public sealed class StoredBinary(IReadOnlyList<BinaryVersion> history)
{
    public BinaryVersion Latest { get; } = history[^1];
    public IReadOnlyList<BinaryVersion> History { get; } = history;
    public int Versions => History.Count;
    public string ConnectorId => Latest.ConnectorId;
    public string ItemExternalId => Latest.ItemExternalId;
    public string BinaryExternalId => Latest.BinaryExternalId;
    public string? FileName => Latest.FileName;
    public string? MimeType => Latest.MimeType;
    public long FileSize => Latest.FileSize;
    public byte[] Content => Latest.Content;
    public IReadOnlyDictionary<string, string> Metadata => Latest.Metadata;
    public string SubmittedVia => Latest.SubmittedVia;
}

public sealed record StoredAuditEvent(
    string ConnectorId,
    string EventExternalId,
    string EventType,
    string ItemExternalId,
    DateTimeOffset? CreatedDate,
    string? Description,
    string? UserId,
    string? UserName,
    IReadOnlyList<StoredProperty> SourceProperties);

/// <summary>A notification waiting for the connector's acknowledgement.</summary>
public sealed record PendingNotification(string Id, string ConnectorId, string NotificationType, DateTimeOffset Timestamp, string? ItemExternalId);

public sealed record StoredNotificationAck(string ConnectorId, string NotificationId, string ProcessingResult, string? ConnectorStatusMessage);
