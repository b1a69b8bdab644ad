namespace ConfluenceConnector.Simulators.Confluence;

/// <summary>GET /pages/{id}/labels and /blogposts/{id}/labels.</summary>
internal static class LabelsEndpoints
{
    public static void Map(WebApplication app, ConfluenceEndpointContext ctx)
    {
        app.MapGet(ConfluenceEndpointContext.ApiV2 + "/pages/{id}/labels", ConfluenceEndpointContext.Handle(http => List(http, ctx, ctx.Site.Pages)));
        app.MapGet(ConfluenceEndpointContext.ApiV2 + "/blogposts/{id}/labels", ConfluenceEndpointContext.Handle(http => List(http, ctx, ctx.Site.BlogPosts)));
    }

    private static Task List(HttpContext http, ConfluenceEndpointContext ctx, List<SimPage> containers)
    {
        var id = ConfluenceEndpointContext.PathId(http).ToString(System.Globalization.CultureInfo.InvariantCulture);
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
}
