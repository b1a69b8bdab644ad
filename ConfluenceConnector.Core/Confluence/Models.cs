using System.Text.Json.Serialization;

namespace ConfluenceConnector.Core.Confluence;

/// <summary>The v2 list envelope: <c>{ results: [...], _links: { next?, base } }</c>.</summary>
public sealed record MultiEntityResult<T>(
    [property: JsonPropertyName("results")] IReadOnlyList<T>? Results,
    [property: JsonPropertyName("_links")] MultiEntityLinks? Links);

/// <summary><c>next</c> is relative and already starts with <c>/wiki</c>; absent on the last page.</summary>
public sealed record MultiEntityLinks(
    [property: JsonPropertyName("next")] string? Next,
    [property: JsonPropertyName("base")] string? Base);

/// <summary>The <c>_links</c> of a single entity.</summary>
public sealed record EntityLinks([property: JsonPropertyName("webui")] string? WebUi);

/// <summary>SpaceBulk (v2).</summary>
public sealed record Space(
    string Id,
    string Key,
    string Name,
    string? Type,
    string? Status,
    string? AuthorId,
    DateTimeOffset? CreatedAt,
    string? HomepageId,
    [property: JsonPropertyName("_links")] EntityLinks? Links);

/// <summary>PageBulk (v2).</summary>
public sealed record Page(
    string Id,
    string? Status,
    string Title,
    string SpaceId,
    string? ParentId,
    string? ParentType,
    int? Position,
    string? AuthorId,
    string? OwnerId,
    DateTimeOffset? CreatedAt,
    ContentVersion? Version,
    PageBody? Body,
    [property: JsonPropertyName("_links")] EntityLinks? Links);

/// <summary>The version of a page: number, when and by whom.</summary>
public sealed record ContentVersion(
    int Number,
    DateTimeOffset? CreatedAt,
    string? AuthorId,
    string? Message,
    bool MinorEdit);

/// <summary>The bodies asked for with <c>body-format</c>.</summary>
public sealed record PageBody(
    BodyRepresentation? Storage,
    [property: JsonPropertyName("export_view")] BodyRepresentation? ExportView = null);

/// <summary>One body representation.</summary>
public sealed record BodyRepresentation(string? Value, string? Representation);

/// <summary>One page of a listing walk: its results and the relative link to the next page (null on the last).</summary>
public sealed record ListingPage<T>(IReadOnlyList<T> Results, string? NextLink);

/// <summary>The container of comments, attachments and labels: a page or a blog post.</summary>
/// <param name="PathSegment">"pages" or "blogposts", as in the v2 paths.</param>
/// <param name="Id">The content id.</param>
public sealed record ContentRef(string PathSegment, string Id)
{
    public static ContentRef Page(string id) => new("pages", id);

    public static ContentRef BlogPost(string id) => new("blogposts", id);
}

/// <summary>A footer or inline comment (v2 comment models; inline-only fields are null on footer comments).</summary>
public sealed record Comment(
    string Id,
    string? Status,
    string? PageId,
    string? BlogPostId,
    string? ParentCommentId,
    ContentVersion? Version,
    PageBody? Body,
    string? ResolutionStatus,
    InlineCommentProperties? Properties);

/// <summary>Where an inline comment is anchored.</summary>
public sealed record InlineCommentProperties(string? InlineMarkerRef, string? InlineOriginalSelection);

/// <summary>AttachmentBulk (v2).</summary>
public sealed record Attachment(
    string Id,
    string? Status,
    string Title,
    DateTimeOffset? CreatedAt,
    string? PageId,
    string? BlogPostId,
    string? MediaType,
    string? FileId,
    long? FileSize,
    ContentVersion? Version);

/// <summary>A label.</summary>
public sealed record Label(string Id, string Name, string? Prefix);
