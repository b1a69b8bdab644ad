namespace ConfluenceConnector.Simulators.Confluence;

/// <summary>GET /wiki/api/v2/spaces/{id}/blogposts.</summary>
internal static class BlogPostsEndpoints
{
    private static readonly string[] Statuses = ["current", "archived", "deleted", "trashed"];
    private static readonly string[] DefaultStatuses = ["current"];
    private static readonly string[] BodyFormats = ["storage", "atlas_doc_format"];

    private static readonly string[] SingleBodyFormats = ["storage", "atlas_doc_format", "view", "export_view", "anonymous_export_view", "styled_view", "editor"];

    public static void Map(WebApplication app, ConfluenceEndpointContext ctx)
    {
        app.MapGet(ConfluenceEndpointContext.ApiV2 + "/spaces/{id}/blogposts", ConfluenceEndpointContext.Handle(http => List(http, ctx)));
        app.MapGet(ConfluenceEndpointContext.ApiV2 + "/blogposts/{id}", ConfluenceEndpointContext.Handle(http => Get(http, ctx)));
    }

    private static Task Get(HttpContext http, ConfluenceEndpointContext ctx)
    {
        var id = ConfluenceEndpointContext.PathId(http);
        var bodyFormat = new QueryReader(http.Request).Enum("body-format", SingleBodyFormats);
        SimPage post;
        string key;
        lock (ctx.Site.SyncRoot)
        {
            post = ctx.Site.BlogPosts.FirstOrDefault(p => p.NumericId == id && p.Status is "current" or "archived") ?? throw ConfluenceEndpointContext.NotFound();
            key = ctx.Site.Spaces.FirstOrDefault(s => s.Id == post.SpaceId)?.Key ?? "";
        }

        ctx.Points.Returned(http, 1);
        return ConfluenceJson.WriteAsync(http, ConfluenceJson.Page(post, key, bodyFormat, ConfluenceEndpointContext.SiteBase(http.Request)));
    }

    private static Task List(HttpContext http, ConfluenceEndpointContext ctx)
    {
        var spaceId = ConfluenceEndpointContext.PathId(http);
        var q = new QueryReader(http.Request);
        var statuses = q.EnumList("status", Statuses);
        var wanted = statuses.Count == 0 ? DefaultStatuses : statuses.ToArray();
        var bodyFormat = q.Enum("body-format", BodyFormats);
        var limit = Pagination.ReadLimit(q);
        List<SimPage> matches;
        string key;
        lock (ctx.Site.SyncRoot)
        {
            var space = ctx.Site.Spaces.FirstOrDefault(s => s.NumericId == spaceId) ?? throw ConfluenceEndpointContext.NotFound();
            key = space.Key;
            matches = ctx.Site.BlogPosts.Where(p => p.SpaceId == space.Id && wanted.Contains(p.Status, StringComparer.Ordinal)).OrderBy(p => p.NumericId).ToList();
        }

        return ctx.Pagination.WriteAsync(
            http,
            matches,
            p => ConfluenceJson.Page(p, key, bodyFormat, null) with
            {
                Links = new PageLinksDto($"/spaces/{Uri.EscapeDataString(key)}/blog/{p.CreatedAt:yyyy'/'MM'/'dd}/{p.Id}/{ConfluenceJson.Slug(p.Title)}", $"/pages/resumedraft.action?draftId={p.Id}", "/x/" + ConfluenceJson.TinyId(p.NumericId), null),
            },
            ConfluenceEndpointContext.SiteBase(http.Request),
            limit);
    }
}
