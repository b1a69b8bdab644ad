namespace ConfluenceConnector.Simulators.Confluence;

/// <summary>GET /wiki/api/v2/spaces/{id}/pages, /pages and /pages/{id}.</summary>
internal static class PagesEndpoints
{
    /// <summary>Statuses the list endpoints accept (spec enum); drafts are never listed.</summary>
    private static readonly string[] ListStatuses = ["current", "archived", "deleted", "trashed"];

    /// <summary>Per the spec: "By default, current and archived are used."</summary>
    private static readonly string[] DefaultListStatuses = ["current", "archived"];

    private static readonly string[] SingleStatuses = ["current", "archived", "trashed", "deleted", "historical", "draft"];
    private static readonly string[] PageSorts = ["id", "-id", "created-date", "-created-date", "modified-date", "-modified-date", "title", "-title"];
    private static readonly string[] ListBodyFormats = ["storage", "atlas_doc_format"];
    private static readonly string[] SingleBodyFormats = ["storage", "atlas_doc_format", "view", "export_view", "anonymous_export_view", "styled_view", "editor"];

    public static void Map(WebApplication app, ConfluenceEndpointContext ctx)
    {
        app.MapGet(ConfluenceEndpointContext.ApiV2 + "/spaces/{id}/pages", ConfluenceEndpointContext.Handle(http => GetPagesInSpace(http, ctx)));
        app.MapGet(ConfluenceEndpointContext.ApiV2 + "/pages", ConfluenceEndpointContext.Handle(http => GetPages(http, ctx)));
        app.MapGet(ConfluenceEndpointContext.ApiV2 + "/pages/{id}", ConfluenceEndpointContext.Handle(http => GetPage(http, ctx)));
    }

    private static Task GetPagesInSpace(HttpContext http, ConfluenceEndpointContext ctx)
    {
        var spaceId = ConfluenceEndpointContext.PathId(http);
        var q = new QueryReader(http.Request);
        var depth = q.Enum("depth", "all", "root") ?? "all";
        var filter = ReadListFilter(q);

        List<SimPage> matches;
        Dictionary<string, string> keys;
        lock (ctx.Site.SyncRoot)
        {
            var space = ctx.Site.Spaces.FirstOrDefault(s => s.NumericId == spaceId) ?? throw ConfluenceEndpointContext.NotFound();
            var spaceIdText = space.Id;
            matches = ctx.Site.Pages.Where(p => p.SpaceId == spaceIdText && (depth == "all" || p.ParentId is null) && filter.Matches(p)).ToList();
            keys = new Dictionary<string, string>(StringComparer.Ordinal) { [space.Id] = space.Key };
        }

        return WriteListAsync(http, ctx, matches, filter, keys);
    }

    private static Task GetPages(HttpContext http, ConfluenceEndpointContext ctx)
    {
        var q = new QueryReader(http.Request);
        var ids = q.Ids("id", 250).ToHashSet();
        var spaceIds = q.Ids("space-id", 100).Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        var subtype = q.Enum("subtype", "live", "page");
        var filter = ReadListFilter(q);

        List<SimPage> matches;
        Dictionary<string, string> keys;
        lock (ctx.Site.SyncRoot)
        {
            matches = subtype == "live"
                ? []
                : ctx.Site.Pages.Where(p => (ids.Count == 0 || ids.Contains(p.NumericId)) && (spaceIds.Count == 0 || spaceIds.Contains(p.SpaceId)) && filter.Matches(p)).ToList();
            keys = SpaceKeys(ctx.Site);
        }

        return WriteListAsync(http, ctx, matches, filter, keys);
    }

    private static Task GetPage(HttpContext http, ConfluenceEndpointContext ctx)
    {
        var id = ConfluenceEndpointContext.PathId(http);
        var q = new QueryReader(http.Request);
        var bodyFormat = q.Enum("body-format", SingleBodyFormats);
        var getDraft = q.Bool("get-draft", false);
        var statuses = q.EnumList("status", SingleStatuses);
        var wanted = statuses.Count == 0 ? DefaultListStatuses.AsEnumerable() : statuses;
        if (getDraft)
        {
            wanted = wanted.Append("draft");
        }

        SimPage page;
        string spaceKey;
        lock (ctx.Site.SyncRoot)
        {
            page = ctx.Site.Pages.FirstOrDefault(p => p.NumericId == id) ?? throw ConfluenceEndpointContext.NotFound();

            // Deleted (and purged) content is gone from the single-page endpoint; others only when their status is asked for.
            if (page.Status == "deleted" || !wanted.Contains(page.Status, StringComparer.Ordinal))
            {
                throw ConfluenceEndpointContext.NotFound();
            }

            spaceKey = ctx.Site.Spaces.FirstOrDefault(s => s.Id == page.SpaceId)?.Key ?? "";
        }

        ctx.Points.Returned(http, 1);
        return ConfluenceJson.WriteAsync(http, ConfluenceJson.Page(page, spaceKey, bodyFormat, ConfluenceEndpointContext.SiteBase(http.Request)));
    }

    private static ListFilter ReadListFilter(QueryReader q)
    {
        var statuses = q.EnumList("status", ListStatuses);
        return new ListFilter(
            statuses.Count == 0 ? DefaultListStatuses : statuses.ToArray(),
            q.Single("title"),
            q.Enum("sort", PageSorts) ?? "id",
            q.Enum("body-format", ListBodyFormats),
            Pagination.ReadLimit(q));
    }

    private static Task WriteListAsync(HttpContext http, ConfluenceEndpointContext ctx, List<SimPage> matches, ListFilter filter, Dictionary<string, string> spaceKeys)
    {
        Sort(matches, filter.Sort);
        return ctx.Pagination.WriteAsync(
            http,
            matches,
            p => ConfluenceJson.Page(p, spaceKeys.GetValueOrDefault(p.SpaceId, ""), filter.BodyFormat, null),
            ConfluenceEndpointContext.SiteBase(http.Request),
            filter.Limit);
    }

    private static void Sort(List<SimPage> pages, string sort)
    {
        Comparison<SimPage> compare = sort.TrimStart('-') switch
        {
            "created-date" => (a, b) => Then(a.CreatedAt.CompareTo(b.CreatedAt), a, b),
            "modified-date" => (a, b) => Then(a.Version.CreatedAt.CompareTo(b.Version.CreatedAt), a, b),
            "title" => (a, b) => Then(string.CompareOrdinal(a.Title, b.Title), a, b),
            _ => (a, b) => a.NumericId.CompareTo(b.NumericId),
        };
        var descending = sort.StartsWith('-');
        if (!descending && sort == "id" && IsSortedById(pages))
        {
            return;
        }

        pages.Sort(descending ? (a, b) => compare(b, a) : compare);
    }

    private static int Then(int first, SimPage a, SimPage b) => first != 0 ? first : a.NumericId.CompareTo(b.NumericId);

    private static bool IsSortedById(List<SimPage> pages)
    {
        for (var i = 1; i < pages.Count; i++)
        {
            if (pages[i - 1].NumericId > pages[i].NumericId)
            {
                return false;
            }
        }

        return true;
    }

    private static Dictionary<string, string> SpaceKeys(ConfluenceSite site)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in site.Spaces)
        {
            keys[s.Id] = s.Key;
        }

        return keys;
    }

    private sealed record ListFilter(string[] Statuses, string? Title, string Sort, string? BodyFormat, int Limit)
    {
        public bool Matches(SimPage p) => Statuses.Contains(p.Status, StringComparer.Ordinal) && (Title is null || p.Title == Title);
    }
}
