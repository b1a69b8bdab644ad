using System.Text.Json.Serialization;

namespace ConfluenceConnector.Core.RecordPoint;

/// <summary>One name/value pair of source metadata (SubmissionMetaDataModel).</summary>
public sealed record SourceProperty(
    string Name,
    string? DisplayName,
    string Type,
    string? Value);

/// <summary>AggregationSubmissionInputModel: a Space.</summary>
public sealed record AggregationSubmission
{
    public required string ConnectorId { get; init; }
    public required string ExternalId { get; init; }
    public required string Title { get; init; }
    public required string SourceCreatedBy { get; init; }
    public required DateTimeOffset SourceCreatedDate { get; init; }
    public required string SourceLastModifiedBy { get; init; }
    public required DateTimeOffset SourceLastModifiedDate { get; init; }
    public string? Author { get; init; }
    public string? Location { get; init; }
    public string? ParentExternalId { get; init; }
    public IReadOnlyList<SourceProperty>? SourceProperties { get; init; }
}

/// <summary>ItemSubmissionInputModel: a Page, submitted as a Record.</summary>
public sealed record ItemSubmission
{
    public required string ConnectorId { get; init; }
    public required string ExternalId { get; init; }
    public required string ParentExternalId { get; init; }
    public required string Title { get; init; }
    public required string Author { get; init; }
    public required string ContentVersion { get; init; }
    public required string Location { get; init; }
    public required string MediaType { get; init; }
    public required string SourceCreatedBy { get; init; }
    public required DateTimeOffset SourceCreatedDate { get; init; }
    public required string SourceLastModifiedBy { get; init; }
    public required DateTimeOffset SourceLastModifiedDate { get; init; }
    public string? MimeType { get; init; }
    public IReadOnlyList<SourceProperty>? SourceProperties { get; init; }
}

/// <summary>ItemAcceptanceModel.</summary>
public sealed record ItemAcceptance(string? ExternalId, DateTimeOffset? SourceLastModifiedDate, string? AggregationStatus);

/// <summary>DirectBinarySubmissionInputModel: the metadata of one binary of an item.</summary>
public sealed record BinarySubmission
{
    public required string ConnectorId { get; init; }
    public required string ItemExternalId { get; init; }
    public required string BinaryExternalId { get; init; }
    public string? FileName { get; init; }
    public string? MimeType { get; init; }
    public long? FileSize { get; init; }
    public string? FileHash { get; init; }
    public DateTimeOffset? SourceLastModifiedDate { get; init; }
    public DateTimeOffset? ItemSourceLastModifiedDate { get; init; }
    public string? Location { get; init; }
    public string? CorrelationId { get; init; }
}

/// <summary>DirectBinarySubmissionResponseModel: where to upload, and the largest file accepted.</summary>
public sealed record BinaryUploadTarget(string? Url, long? MaxFileSize);

/// <summary>ErrorResponseModel.</summary>
public sealed record ErrorResponse([property: JsonPropertyName("error")] ErrorDetail? Error);

/// <summary>ErrorModel.</summary>
public sealed record ErrorDetail(string? Message, string? MessageCode, string? Target);

/// <summary>Query of the legacy streaming <c>POST api/Binaries</c>.</summary>
public sealed class LegacyBinaryQuery
{
    public required string ConnectorId { get; init; }
    public required string ItemExternalId { get; init; }
    public required string BinaryExternalId { get; init; }
    public string? FileName { get; init; }
    public string? Location { get; init; }
    public string? CorrelationId { get; init; }
    public DateTimeOffset? ItemSourceLastModifiedDate { get; init; }
}
