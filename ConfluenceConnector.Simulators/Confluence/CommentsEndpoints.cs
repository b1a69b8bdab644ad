using System.Text.Json.Serialization;

namespace ConfluenceConnector.Simulators.Confluence;

/// <summary>
/// Footer and inline comments. Per-page and per-blog-post lists return ROOT comments only (replies come from
/// <c>/{kind}-comments/{id}/children</c>); the site-wide lists return every comment with its container id and
/// <c>parentCommentId</c>.
/// </summary>
internal static class CommentsEndpoints
{
    private static readonly string[] Kinds = ["footer", "inline"];
    private static readonly string[] BodyFormats = ["storage", "atlas_doc_format"];

    public static void Map(WebApplication app, ConfluenceEndpointContext ctx)
    {
        foreach (var kind in Kinds)
        {
            app.MapGet($"{ConfluenceEndpointContext.ApiV2}/pages/{{id}}/{kind}-comments", ConfluenceEndpointContext.Handle(http => ListRoots(http, ctx, kind, "page")));
            app.MapGet($"{ConfluenceEndpointContext.ApiV2}/blogposts/{{id}}/{kind}-comments", ConfluenceEndpointContext.Handle(http => ListRoots(http, ctx, kind, "blogpost")));
            app.MapGet($"{ConfluenceEndpointContext.ApiV2}/{kind}-comments/{{id}}/children", ConfluenceEndpointContext.Handle(http => ListChildren(http, ctx, kind)));
            app.MapGet($"{ConfluenceEndpointContext.ApiV2}/{kind}-comments", ConfluenceEndpointContext.Handle(http => ListAll(http, ctx, kind)));
        }
    }

    private static Task ListRoots(HttpContext http, ConfluenceEndpointContext ctx, string kind, string containerType)
    {
        var id = ConfluenceEndpointContext.PathId(http).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var q = new QueryReader(http.Request);
        var bodyFormat = q.Enum("body-format", BodyFormats);
        var limit = Pagination.ReadLimit(q);
        List<SimComment> matches;
        lock (ctx.Site.SyncRoot)
        {
            var containers = containerType == "page" ? ctx.Site.Pages : ctx.Site.BlogPosts;
            if (!containers.Any(p => p.Id == id && p.Status != "deleted"))
            {
                throw ConfluenceEndpointContext.NotFound();
            }

            matches = ctx.Site.Comments.Where(c => c.Kind == kind && c.ContainerId == id && c.ParentCommentId is null && c.Status == "current").OrderBy(c => c.NumericId).ToList();
        }

        return ctx.Pagination.WriteAsync(http, matches, c => Dto(c, bodyFormat, includeParent: false), ConfluenceEndpointContext.SiteBase(http.Request), limit);
    }

    private static Task ListChildren(HttpContext http, ConfluenceEndpointContext ctx, string kind)
    {
        var id = ConfluenceEndpointContext.PathId(http).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var q = new QueryReader(http.Request);
        var bodyFormat = q.Enum("body-format", BodyFormats);
        var limit = Pagination.ReadLimit(q);
        List<SimComment> matches;
        lock (ctx.Site.SyncRoot)
        {
            if (!ctx.Site.Comments.Any(c => c.Id == id && c.Kind == kind))
            {
                throw ConfluenceEndpointContext.NotFound();
            }

            matches = ctx.Site.Comments.Where(c => c.ParentCommentId == id && c.Status == "current").OrderBy(c => c.NumericId).ToList();
        }

        return ctx.Pagination.WriteAsync(http, matches, c => Dto(c, bodyFormat, includeParent: true), ConfluenceEndpointContext.SiteBase(http.Request), limit);
    }

    private static Task ListAll(HttpContext http, ConfluenceEndpointContext ctx, string kind)
    {
        var q = new QueryReader(http.Request);
        var bodyFormat = q.Enum("body-format", BodyFormats);
        var limit = Pagination.ReadLimit(q);
        List<SimComment> matches;
        lock (ctx.Site.SyncRoot)
        {
            matches = ctx.Site.Comments.Where(c => c.Kind == kind && c.Status == "current").OrderBy(c => c.NumericId).ToList();
        }

        return ctx.Pagination.WriteAsync(http, matches, c => Dto(c, bodyFormat, includeParent: true), ConfluenceEndpointContext.SiteBase(http.Request), limit);
    }

    private static CommentDto Dto(SimComment c, string? bodyFormat, bool includeParent) => new(
        c.Id,
        c.Status,
        "Re: comment",
        c.ContainerType == "page" ? c.ContainerId : null,
        c.ContainerType == "blogpost" ? c.ContainerId : null,
        includeParent ? c.ParentCommentId : null,
        new VersionDto(ConfluenceJson.Date(c.CreatedAt), "", c.VersionNumber, false, c.AuthorId),
        bodyFormat is null ? null : new BodyDto { Storage = new BodyTypeDto(bodyFormat, c.BodyStorage) },
        c.Kind == "inline" ? c.ResolutionStatus : null,
        c.Kind == "inline" ? new InlinePropertiesDto("marker-" + c.Id, c.OriginalSelection) : null,
        new CommentLinksDto($"/pages/viewpage.action?pageId={c.ContainerId}&focusedCommentId={c.Id}#comment-{c.Id}"));
}

internal sealed record CommentDto(
    string Id,
    string Status,
    string Title,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PageId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BlogPostId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ParentCommentId,
    VersionDto Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BodyDto? Body,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ResolutionStatus,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] InlinePropertiesDto? Properties,
    [property: JsonPropertyName("_links")] CommentLinksDto Links);

internal sealed record InlinePropertiesDto(
    [property: JsonPropertyName("inlineMarkerRef")] string InlineMarkerRef,
    [property: JsonPropertyName("inlineOriginalSelection")] string? InlineOriginalSelection);

internal sealed record CommentLinksDto(string Webui);
