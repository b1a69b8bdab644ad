namespace ConfluenceConnector.Simulators.Confluence;

/// <summary>GET /wiki/api/v2/spaces.</summary>
internal static class SpacesEndpoints
{
    private static readonly string[] SpaceTypes = ["global", "collaboration", "knowledge_base", "personal", "system", "onboarding", "xflow_sample_space"];
    private static readonly string[] SpaceStatuses = ["current", "archived"];
    private static readonly string[] SpaceSorts = ["id", "-id", "key", "-key", "name", "-name"];

    public static void Map(WebApplication app, ConfluenceEndpointContext ctx)
    {
        app.MapGet(ConfluenceEndpointContext.ApiV2 + "/spaces", ConfluenceEndpointContext.Handle(http => GetSpaces(http, ctx)));
    }

    private static Task GetSpaces(HttpContext http, ConfluenceEndpointContext ctx)
    {
        var q = new QueryReader(http.Request);
        var ids = q.Ids("ids", 250).ToHashSet();
        var keys = q.List("keys", 250).ToHashSet(StringComparer.Ordinal);
        var type = q.Enum("type", SpaceTypes);

        // The spec documents no default for status: the simulator answers only current spaces unless asked,
        // so a connector that wants archived spaces must ask for them explicitly.
        var status = q.Enum("status", SpaceStatuses) ?? "current";
        var labels = q.List("labels");
        var sort = q.Enum("sort", SpaceSorts) ?? "id";
        var descriptionFormat = q.Enum("description-format", "plain", "view");
        q.Bool("include-icon", false);
        var limit = Pagination.ReadLimit(q);

        List<SimSpace> matches;
        lock (ctx.Site.SyncRoot)
        {
            matches = ctx.Site.Spaces.Where(s =>
                    (ids.Count == 0 || ids.Contains(s.NumericId))
                    && (keys.Count == 0 || keys.Contains(s.Key))
                    && (type is null || s.Type == type)
                    && s.Status == status
                    && labels.Count == 0)
                .ToList();
        }

        Comparison<SimSpace> compare = sort.TrimStart('-') switch
        {
            "key" => (a, b) => string.CompareOrdinal(a.Key, b.Key),
            "name" => (a, b) => string.Compare(a.Name, b.Name, StringComparison.OrdinalIgnoreCase),
            _ => (a, b) => a.NumericId.CompareTo(b.NumericId),
        };
        matches.Sort(sort.StartsWith('-') ? (a, b) => compare(b, a) : compare);

        return ctx.Pagination.WriteAsync(http, matches, s => ConfluenceJson.Space(s, descriptionFormat), ConfluenceEndpointContext.SiteBase(http.Request), limit);
    }
}
