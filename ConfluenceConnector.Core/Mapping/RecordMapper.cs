using System.Globalization;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.RecordPoint;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Mapping;

/// <summary>The Space a page belongs to, as far as a record needs it.</summary>
public sealed record SpaceRef(string Id, string Key, string Name);

/// <summary>
/// Maps Confluence content to RecordPoint submissions: Space -> Aggregation, Page -> Item (a Record) with its
/// content binary. Every field RecordPoint requires is always set.
/// </summary>
public sealed class RecordMapper(IOptions<ConfluenceOptions> confluence, IOptions<RecordPointOptions> recordPoint)
{
    /// <summary>RecordPoint's mediaType for born-digital records.</summary>
    public const string ElectronicMediaType = "Electronic";

    /// <summary>Who a record is attributed to when Confluence names nobody (e.g. a space created by the system).</summary>
    public const string UnknownAccount = "unknown";

    private readonly string connectorId = recordPoint.Value.ConnectorId!;
    private readonly string webRoot = confluence.Value.SiteRoot.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/wiki";

    public AggregationSubmission ToAggregation(Space space)
    {
        var by = Account(space.AuthorId);
        var created = space.CreatedAt ?? DateTimeOffset.UnixEpoch;
        return new AggregationSubmission
        {
            ConnectorId = connectorId,
            ExternalId = space.Id,
            Title = string.IsNullOrWhiteSpace(space.Name) ? space.Key : space.Name,
            Author = by,
            SourceCreatedBy = by,
            SourceCreatedDate = created,
            SourceLastModifiedBy = by,
            SourceLastModifiedDate = created,
            Location = WebUrl(space.Links?.WebUi, $"/spaces/{Uri.EscapeDataString(space.Key)}"),
            SourceProperties =
            [
                Text("SpaceKey", "Space key", space.Key),
                Text("SpaceId", "Space id", space.Id),
                Text("SpaceType", "Space type", space.Type),
                Text("SpaceStatus", "Space status", space.Status),
            ],
        };
    }

    /// <summary>A page or blog post as a Record; <paramref name="contentType"/> is "page" or "blogpost".</summary>
    public ItemSubmission ToItem(Page page, SpaceRef space, string contentType = "page", IReadOnlyList<Label>? labels = null)
    {
        var version = RequireVersion(page);
        var createdBy = Account(page.AuthorId);
        return new ItemSubmission
        {
            ConnectorId = connectorId,
            ExternalId = page.Id,
            ParentExternalId = space.Id,
            Title = page.Title,
            Author = createdBy,
            ContentVersion = version.Number.ToString(CultureInfo.InvariantCulture),
            Location = PageUrl(page, space),
            MediaType = ElectronicMediaType,
            MimeType = ContentDocument.MimeType,
            SourceCreatedBy = createdBy,
            SourceCreatedDate = page.CreatedAt ?? version.CreatedAt!.Value,
            SourceLastModifiedBy = Account(version.AuthorId ?? page.AuthorId),
            SourceLastModifiedDate = version.CreatedAt!.Value,
            SourceProperties =
            [
                Text("SpaceKey", "Space key", space.Key),
                Text("SpaceId", "Space id", space.Id),
                Text("ContentId", "Content id", page.Id),
                Text("ContentType", "Content type", contentType),
                Text("Status", "Status", page.Status),
                new SourceProperty("VersionNumber", "Version number", "Number", version.Number.ToString(CultureInfo.InvariantCulture)),
                Text("VersionMessage", "Version message", version.Message),
                Text("ParentId", "Parent id", page.ParentId),
                Text("ParentType", "Parent type", page.ParentType),
                Text("OwnerId", "Owner", page.OwnerId),
                Text("Labels", "Labels", labels is null ? null : string.Join(", ", labels.Select(l => l.Name).Order(StringComparer.Ordinal))),
                Text("CreatedBy", "Created by", createdBy),
                Text("ModifiedBy", "Modified by", Account(version.AuthorId ?? page.AuthorId)),
                Text("WebUrl", "Web URL", PageUrl(page, space)),
            ],
        };
    }

    /// <summary>The content binary's metadata. Its id is stable per page and kind, never the item's own id.</summary>
    public BinarySubmission ToContentBinary(Page page, SpaceRef space, long fileSize, string fileHash, string correlationId) =>
        ToDocumentBinary(page, space, ContentBinaryId(page.Id), ContentDocument.FileName(page.Title), ContentDocument.MimeType, fileSize, fileHash, correlationId);

    /// <summary>The comments binary's metadata: one HTML document per page or blog post.</summary>
    public BinarySubmission ToCommentsBinary(Page page, SpaceRef space, long fileSize, string fileHash, string correlationId) =>
        ToDocumentBinary(page, space, CommentsBinaryId(page.Id), CommentsDocument.FileName(page.Title), CommentsDocument.MimeType, fileSize, fileHash, correlationId);

    /// <summary>A document the connector writes for a record (its content or its comments), dated by the record's version.</summary>
    private BinarySubmission ToDocumentBinary(Page page, SpaceRef space, string binaryId, string fileName, string mimeType, long fileSize, string fileHash, string correlationId)
    {
        var version = RequireVersion(page);
        return new BinarySubmission
        {
            ConnectorId = connectorId,
            ItemExternalId = page.Id,
            BinaryExternalId = binaryId,
            FileName = fileName,
            MimeType = mimeType,
            FileSize = fileSize,
            FileHash = fileHash,
            SourceLastModifiedDate = version.CreatedAt,
            ItemSourceLastModifiedDate = version.CreatedAt,
            Location = PageUrl(page, space),
            CorrelationId = correlationId,
        };
    }

    /// <summary>An attachment's metadata; its BinaryExternalId is the attachment id.</summary>
    public BinarySubmission ToAttachmentBinary(Page page, SpaceRef space, Attachment attachment, string correlationId)
    {
        var version = RequireVersion(page);
        return new BinarySubmission
        {
            ConnectorId = connectorId,
            ItemExternalId = page.Id,
            BinaryExternalId = attachment.Id,
            FileName = attachment.Title,
            MimeType = string.IsNullOrEmpty(attachment.MediaType) ? "application/octet-stream" : attachment.MediaType,
            FileSize = attachment.FileSize ?? 0,
            SourceLastModifiedDate = attachment.Version?.CreatedAt ?? attachment.CreatedAt ?? version.CreatedAt,
            ItemSourceLastModifiedDate = version.CreatedAt,
            Location = PageUrl(page, space),
            CorrelationId = correlationId,
        };
    }

    /// <summary>BinaryExternalId of a page's comments binary.</summary>
    public static string CommentsBinaryId(string pageId) => $"{pageId}-comments";

    /// <summary>BinaryExternalId of a page's content binary.</summary>
    public static string ContentBinaryId(string pageId) => $"{pageId}-content";

    public string PageUrl(Page page, SpaceRef space) =>
        WebUrl(page.Links?.WebUi, $"/spaces/{Uri.EscapeDataString(space.Key)}/pages/{page.Id}");

    /// <summary>A page must carry a version with its date: the record's version and modified date come from it.</summary>
    public static ContentVersion RequireVersion(Page page) =>
        page.Version is { CreatedAt: not null } version
            ? version
            : throw new InvalidDataException($"Page {page.Id} has no version date in the listing; it cannot be submitted as a record version.");

    private string WebUrl(string? webUi, string fallback) => webRoot + (string.IsNullOrEmpty(webUi) ? fallback : webUi);

    private static string Account(string? accountId) => string.IsNullOrWhiteSpace(accountId) ? UnknownAccount : accountId;

    private static SourceProperty Text(string name, string displayName, string? value) => new(name, displayName, "String", value ?? string.Empty);
}
