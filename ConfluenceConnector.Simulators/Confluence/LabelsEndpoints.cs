using System.Globalization;

namespace ConfluenceConnector.Simulators.Confluence;

/// <summary>
/// Labels: per content (GET /pages/{id}/labels, /blogposts/{id}/labels), the site's labels (GET /labels: each label
/// once, by id) and a label's current and archived pages or blog posts (GET /labels/{id}/pages, /labels/{id}/blogposts;
/// no body unless body-format asks for one).
/// </summary>
internal static class LabelsEndpoints
{
    private static readonly string[] BodyFormats = ["storage", "atlas_doc_format"];
    private static readonly string[] ContentStatuses = ["current", "archived"];

    public static void Map(WebApplication app, ConfluenceEndpointContext ctx)
    {
        app.MapGet(ConfluenceEndpointContext.ApiV2 + "/pages/{id}/labels", ConfluenceEndpointContext.Handle(http => List(http, ctx, ctx.Site.Pages)));
        app.MapGet(ConfluenceEndpointContext.ApiV2 + "/blogposts/{id}/labels", ConfluenceEndpointContext.Handle(http => List(http, ctx, ctx.Site.BlogPosts)));
        app.MapGet(ConfluenceEndpointContext.ApiV2 + "/labels", ConfluenceEndpointContext.Handle(http => ListAll(http, ctx)));
        app.MapGet(ConfluenceEndpointContext.ApiV2 + "/labels/{id}/pages", ConfluenceEndpointContext.Handle(http => ListContent(http, ctx, ctx.Site.Pages)));
        app.MapGet(ConfluenceEndpointContext.ApiV2 + "/labels/{id}/blogposts", ConfluenceEndpointContext.Handle(http => ListContent(http, ctx, ctx.Site.BlogPosts)));
    }

    private static Task List(HttpContext http, ConfluenceEndpointContext ctx, List<SimPage> containers)
    {
        var id = ConfluenceEndpointContext.PathId(http).ToString(CultureInfo.InvariantCulture);
        var limit = Pagination.ReadLimit(new QueryReader(http.Request));
        List<SimLabel> labels;
        lock (ctx.Site.SyncRoot)
        {
            if (!containers.Any(p => p.Id == id && p.Status != "deleted"))
            {
                throw ConfluenceEndpointContext.NotFound();
            }

            labels = ctx.Site.Labels.TryGetValue(id, out var list) ? [.. list] : [];
        }

        return ctx.Pagination.WriteAsync(http, labels, l => l, ConfluenceEndpointContext.SiteBase(http.Request), limit);
    }

    private static Task ListAll(HttpContext http, ConfluenceEndpointContext ctx)
    {
        var q = new QueryReader(http.Request);
        var ids = q.Ids("label-id", int.MaxValue).ToHashSet();
        var prefixes = q.List("prefix");
        var limit = Pagination.ReadLimit(q);
        List<SimLabel> labels;
        lock (ctx.Site.SyncRoot)
        {
            labels = [.. ctx.Site.Labels.Values.SelectMany(l => l)
                .DistinctBy(l => l.Id)
                .Where(l => (ids.Count == 0 || ids.Contains(ConfluenceIds.Parse(l.Id))) && (prefixes.Count == 0 || prefixes.Contains(l.Prefix, StringComparer.Ordinal)))
                .OrderBy(l => ConfluenceIds.Parse(l.Id))];
        }

        return ctx.Pagination.WriteAsync(http, labels, l => l, ConfluenceEndpointContext.SiteBase(http.Request), limit);
    }

    private static Task ListContent(HttpContext http, ConfluenceEndpointContext ctx, List<SimPage> containers)
    {
        var labelId = ConfluenceEndpointContext.PathId(http).ToString(CultureInfo.InvariantCulture);
        var q = new QueryReader(http.Request);
        var spaceIds = q.Ids("space-id", 100).Select(id => id.ToString(CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        var bodyFormat = q.Enum("body-format", BodyFormats);
        var limit = Pagination.ReadLimit(q);
        List<SimPage> matches;
        Dictionary<string, string> keys;
        lock (ctx.Site.SyncRoot)
        {
            if (!ctx.Site.Labels.Values.Any(l => l.Any(x => x.Id == labelId)))
            {
                throw ConfluenceEndpointContext.NotFound();
            }

            matches = [.. containers
                .Where(p => ContentStatuses.Contains(p.Status) && (spaceIds.Count == 0 || spaceIds.Contains(p.SpaceId))
                    && ctx.Site.Labels.TryGetValue(p.Id, out var labels) && labels.Any(l => l.Id == labelId))
                .OrderBy(p => p.NumericId)];
            keys = ctx.Site.Spaces.ToDictionary(s => s.Id, s => s.Key, StringComparer.Ordinal);
        }

        return ctx.Pagination.WriteAsync(http, matches, p => ConfluenceJson.Page(p, keys.GetValueOrDefault(p.SpaceId, ""), bodyFormat, null), ConfluenceEndpointContext.SiteBase(http.Request), limit);
    }
}
