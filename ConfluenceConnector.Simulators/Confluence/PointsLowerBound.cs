namespace ConfluenceConnector.Simulators.Confluence;

/// <summary>
/// The fewest Confluence points a full sync of a site can spend with a listing strategy (the connector's SiteWide or
/// PerContent): 1 point per request and 1 per object returned, every list read in pages of 250 (an empty list still
/// costs its request), every attachment of a record downloaded once (a request and an object). Requests the strategy cannot avoid:
/// <list type="bullet">
/// <item>both: the spaces list; each space's pages and blog posts lists; one download per attachment;</item>
/// <item>SiteWide: the site's footer comments, inline comments, attachments and labels lists, and for each label its
/// pages and its blog posts lists;</item>
/// <item>PerContent: per record its footer and inline comments, attachments and labels lists; per comment its
/// children (replies are only listed under their parent).</item>
/// </list>
/// </summary>
public static class PointsLowerBound
{
    private const int ListPage = 250;

    /// <summary>The bound with site-wide listings (<paramref name="siteWide"/>) or per-content ones.</summary>
    public static long For(ConfluenceSite site, bool siteWide)
    {
        ArgumentNullException.ThrowIfNull(site);
        var records = Records(site);
        var recordIds = records.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var attachmentsOfRecords = site.Attachments.Count(a => a.Status == "current" && recordIds.Contains(a.ContainerId));
        var labelled = records.Sum(r => site.Labels.TryGetValue(r.Id, out var l) ? l.Count : 0);

        var pagesBySpace = site.Pages.Where(IsRecord).CountBy(p => p.SpaceId).ToDictionary(StringComparer.Ordinal);
        var postsBySpace = site.BlogPosts.Where(IsRecord).CountBy(p => p.SpaceId).ToDictionary(StringComparer.Ordinal);
        var points = List(site.Spaces.Count)
            + site.Spaces.Sum(s => List(pagesBySpace.GetValueOrDefault(s.Id)) + List(postsBySpace.GetValueOrDefault(s.Id)))
            + (2L * attachmentsOfRecords);

        if (siteWide)
        {
            var comments = site.Comments.Where(c => c.Status == "current").ToList();
            var labels = site.Labels.Values.SelectMany(l => l).DistinctBy(l => l.Id).Select(l => l.Id).ToList();
            points += List(comments.Count(c => c.Kind == "footer")) + List(comments.Count(c => c.Kind != "footer"))
                + List(site.Attachments.Count(a => a.Status == "current"))
                + List(labels.Count)
                + labels.Sum(id => List(LabelledWith(site, site.Pages, recordIds, id)) + List(LabelledWith(site, site.BlogPosts, recordIds, id)));
        }
        else
        {
            var comments = site.Comments.Count(c => c.Status == "current" && recordIds.Contains(c.ContainerId));
            points += (4L * records.Count) + (2L * comments) + attachmentsOfRecords + labelled;
        }

        return points;
    }

    /// <summary>The site's records: current and archived pages and blog posts.</summary>
    public static IReadOnlyList<SimPage> Records(ConfluenceSite site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return [.. site.Pages.Concat(site.BlogPosts).Where(IsRecord)];
    }

    private static bool IsRecord(SimPage content) => content.Status is "current" or "archived";

    private static int LabelledWith(ConfluenceSite site, List<SimPage> containers, HashSet<string> recordIds, string labelId) =>
        containers.Count(p => recordIds.Contains(p.Id) && site.Labels.TryGetValue(p.Id, out var l) && l.Any(x => x.Id == labelId));

    /// <summary>A list of <paramref name="objects"/> read in pages of 250: its requests plus its objects.</summary>
    private static long List(int objects) => Math.Max(1, (objects + ListPage - 1) / ListPage) + objects;
}
