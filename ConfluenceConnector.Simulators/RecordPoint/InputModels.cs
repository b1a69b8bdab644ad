using System.Text.Json;

namespace ConfluenceConnector.Simulators.RecordPoint;

// Wire models from the Connector API swagger (read case-insensitively; dates kept as text so that the
// simulator can tell "missing" from "not a date").

internal sealed class SubmissionMetaDataInput
{
    public string? DisplayName { get; set; }
    public string? Name { get; set; }
    public string? Type { get; set; }
    public JsonElement? Value { get; set; }
    public bool? IsSysAdminOnly { get; set; }
}

internal sealed class AggregationInput
{
    public int? ItemTypeId { get; set; }
    public string? SecurityProfileIdentifier { get; set; }
    public List<SubmissionMetaDataInput>? SourceProperties { get; set; }
    public List<JsonElement>? Relationships { get; set; }
    public string? ExternalId { get; set; }
    public string? ConnectorId { get; set; }
    public string? Title { get; set; }
    public string? Author { get; set; }
    public string? SourceLastModifiedDate { get; set; }
    public string? SourceLastModifiedBy { get; set; }
    public string? SourceCreatedDate { get; set; }
    public string? SourceCreatedBy { get; set; }
    public string? Location { get; set; }
    public string? MediaType { get; set; }
    public string? ParentExternalId { get; set; }
    public string? BarcodeType { get; set; }
    public string? BarcodeValue { get; set; }
    public string? RecordCategoryId { get; set; }
    public string? CorrelationId { get; set; }
}

internal sealed class ItemInput
{
    public string? SecurityProfileIdentifier { get; set; }
    public List<SubmissionMetaDataInput>? SourceProperties { get; set; }
    public List<JsonElement>? Relationships { get; set; }
    public List<BinaryInput>? BinariesSubmitted { get; set; }
    public string? ExternalId { get; set; }
    public string? ConnectorId { get; set; }
    public string? Title { get; set; }
    public string? Author { get; set; }
    public string? MimeType { get; set; }
    public string? SourceLastModifiedDate { get; set; }
    public string? SourceLastModifiedBy { get; set; }
    public string? SourceCreatedBy { get; set; }
    public string? SourceCreatedDate { get; set; }
    public string? ContentVersion { get; set; }
    public string? Location { get; set; }
    public string? MediaType { get; set; }
    public string? ParentExternalId { get; set; }
    public string? BarcodeType { get; set; }
    public string? BarcodeValue { get; set; }
    public string? CorrelationId { get; set; }
}

internal sealed class BinaryInput
{
    public string? MimeType { get; set; }
    public long? FileSize { get; set; }
    public string? FileHash { get; set; }
    public string? SourceLastModifiedDate { get; set; }
    public string? ConnectorId { get; set; }
    public string? ItemExternalId { get; set; }
    public string? BinaryExternalId { get; set; }
    public string? FileName { get; set; }
    public string? Location { get; set; }
    public string? CorrelationId { get; set; }
    public bool? IsOldVersion { get; set; }
    public bool? SkipEnrichment { get; set; }
    public string? ItemSourceLastModifiedDate { get; set; }
}

internal sealed class AuditEventInput
{
    public string? EventExternalId { get; set; }
    public string? ConnectorId { get; set; }
    public string? CreatedDate { get; set; }
    public string? EventType { get; set; }
    public string? Description { get; set; }
    public string? UserId { get; set; }
    public string? UserName { get; set; }
    public string? ItemExternalId { get; set; }
    public List<SubmissionMetaDataInput>? SourceProperties { get; set; }
}

internal sealed class NotificationAckInput
{
    public string? ConnectorId { get; set; }
    public string? NotificationId { get; set; }
    public string? ProcessingResult { get; set; }
    public string? ConnectorStatusMessage { get; set; }
}
