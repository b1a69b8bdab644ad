using Refit;

namespace ConfluenceConnector.Core.Confluence;

/// <summary>
/// The Confluence Cloud REST v2 endpoints the connector reads (see specs/confluence-cloud-v2.openapi.json).
/// Only the first page of a walk goes through these methods; later pages follow <c>_links.next</c> verbatim
/// (<see cref="ConfluenceClient"/>).
/// </summary>
[Headers("Accept: application/json")]
public interface IConfluenceApi
{
    [Get("/wiki/api/v2/spaces")]
    Task<IApiResponse<MultiEntityResult<Space>>> GetSpacesAsync([Query] SpaceListQuery query, CancellationToken cancellationToken = default);

    [Get("/wiki/api/v2/spaces/{id}/pages")]
    Task<IApiResponse<MultiEntityResult<Page>>> GetSpacePagesAsync(string id, [Query] PageListQuery query, CancellationToken cancellationToken = default);

    /// <summary>One page or blog post (<paramref name="container"/>: "pages" or "blogposts") with a single-item body format.</summary>
    [Get("/wiki/api/v2/{container}/{id}")]
    Task<IApiResponse<Page>> GetContentAsync(string container, string id, [Query(Name = "body-format")] string bodyFormat, CancellationToken cancellationToken = default);

    [Get("/wiki/api/v2/spaces/{id}/blogposts")]
    Task<IApiResponse<MultiEntityResult<Page>>> GetSpaceBlogPostsAsync(string id, [Query] BlogPostListQuery query, CancellationToken cancellationToken = default);

    /// <summary>Root footer or inline comments of a page or blog post (<paramref name="kind"/>: "footer" or "inline").</summary>
    [Get("/wiki/api/v2/{container}/{id}/{kind}-comments")]
    Task<IApiResponse<MultiEntityResult<Comment>>> GetRootCommentsAsync(string container, string id, string kind, [Query] CommentListQuery query, CancellationToken cancellationToken = default);

    /// <summary>Replies to a footer or inline comment.</summary>
    [Get("/wiki/api/v2/{kind}-comments/{id}/children")]
    Task<IApiResponse<MultiEntityResult<Comment>>> GetCommentChildrenAsync(string kind, string id, [Query] CommentListQuery query, CancellationToken cancellationToken = default);

    [Get("/wiki/api/v2/{container}/{id}/attachments")]
    Task<IApiResponse<MultiEntityResult<Attachment>>> GetAttachmentsAsync(string container, string id, [Query] LimitQuery query, CancellationToken cancellationToken = default);

    [Get("/wiki/api/v2/{container}/{id}/labels")]
    Task<IApiResponse<MultiEntityResult<Label>>> GetLabelsAsync(string container, string id, [Query] LimitQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every footer or inline comment of the site (<paramref name="kind"/>: "footer" or "inline"), replies included.</summary>
    [Get("/wiki/api/v2/{kind}-comments")]
    Task<IApiResponse<MultiEntityResult<Comment>>> GetSiteCommentsAsync(string kind, [Query] CommentListQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every attachment of the site.</summary>
    [Get("/wiki/api/v2/attachments")]
    Task<IApiResponse<MultiEntityResult<Attachment>>> GetSiteAttachmentsAsync([Query] LimitQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every label of the site.</summary>
    [Get("/wiki/api/v2/labels")]
    Task<IApiResponse<MultiEntityResult<Label>>> GetSiteLabelsAsync([Query] LimitQuery query, CancellationToken cancellationToken = default);

    /// <summary>The pages or blog posts (<paramref name="container"/>: "pages" or "blogposts") carrying a label; no body asked for.</summary>
    [Get("/wiki/api/v2/labels/{id}/{container}")]
    Task<IApiResponse<MultiEntityResult<Page>>> GetLabelContentAsync(string id, string container, [Query] LimitQuery query, CancellationToken cancellationToken = default);
}

/// <summary>Query of <c>GET /spaces/{id}/blogposts</c>.</summary>
public sealed class BlogPostListQuery
{
    [AliasAs("status")]
    public string? Status { get; init; }

    [AliasAs("body-format")]
    public string? BodyFormat { get; init; }

    [AliasAs("limit")]
    public int Limit { get; init; }
}

/// <summary>Query of the comment lists.</summary>
public sealed class CommentListQuery
{
    [AliasAs("body-format")]
    public string? BodyFormat { get; init; }

    [AliasAs("limit")]
    public int Limit { get; init; }
}

/// <summary>Query of lists that take only a page size.</summary>
public sealed class LimitQuery
{
    [AliasAs("limit")]
    public int Limit { get; init; }
}

/// <summary>Query of <c>GET /spaces</c>.</summary>
public sealed class SpaceListQuery
{
    [AliasAs("keys")]
    public string? Keys { get; init; }

    [AliasAs("status")]
    public string? Status { get; init; }

    [AliasAs("type")]
    public string? Type { get; init; }

    [AliasAs("limit")]
    public int Limit { get; init; }
}

/// <summary>Query of <c>GET /spaces/{id}/pages</c>.</summary>
public sealed class PageListQuery
{
    [AliasAs("depth")]
    public string Depth { get; init; } = "all";

    [AliasAs("status")]
    public string? Status { get; init; }

    [AliasAs("body-format")]
    public string? BodyFormat { get; init; }

    [AliasAs("limit")]
    public int Limit { get; init; }
}
