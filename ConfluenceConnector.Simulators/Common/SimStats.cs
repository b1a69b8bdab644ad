using System.Diagnostics;
using System.Text.Json;
using ConfluenceConnector.Simulators.Confluence;

namespace ConfluenceConnector.Simulators.Common;

/// <summary>
/// The simulators' counters as JSON, for a process that runs them in another (a benchmark):
/// <c>GET /_sim/stats</c> on either simulator. Inspection routes (<c>/_sim/...</c>) are not counted themselves.
/// </summary>
public static class SimStats
{
    /// <summary>The route of both simulators' stats.</summary>
    public const string Route = "/_sim/stats";

    /// <summary>How the stats are written and read (camelCase).</summary>
    public static JsonSerializerOptions Json => JsonSerializerOptions.Web;

    /// <summary>The Confluence stats' query parameter choosing the listing strategy of the points lower bound: SiteWide (default) or PerContent.</summary>
    public const string ListingParameter = "listing";

    internal static void MapConfluence(WebApplication app, ConfluenceSite site, RequestCounters requests, PointsCounter points, RequestCounters injected, ConfluenceQuota? quota) =>
        app.MapGet(Route, (RequestDelegate)(async http =>
        {
            var listing = http.Request.Query[ListingParameter].ToString();
            bool siteWide;
            if (listing.Length == 0 || listing.Equals("SiteWide", StringComparison.OrdinalIgnoreCase))
            {
                siteWide = true;
            }
            else if (listing.Equals("PerContent", StringComparison.OrdinalIgnoreCase))
            {
                siteWide = false;
            }
            else
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                await http.Response.WriteAsync($"{ListingParameter} is SiteWide or PerContent, not '{listing}'.");
                return;
            }

            ConfluenceSiteStats figures;
            lock (site.SyncRoot)
            {
                figures = ConfluenceSiteStats.Of(site, siteWide);
            }

            await http.Response.WriteAsJsonAsync(
                new ConfluenceSimStats
                {
                    Requests = requests.Total,
                    RequestsByRoute = requests.ByRoute,
                    PointsRequests = points.Requests,
                    PointsObjects = points.Objects,
                    Points = points.Total,
                    ObjectsByRoute = points.ObjectsByRoute,
                    InjectedByRoute = injected.ByRoute,
                    QuotaRefusals = quota?.Refusals ?? 0,
                    QuotaWindows = quota?.Windows ?? 0,
                    Site = figures,
                    Process = SimProcessStats.Current(),
                },
                Json,
                http.RequestAborted);
        }));

    internal static void MapRecordPoint(WebApplication app, RecordPoint.RecordPointStore store, RequestCounters requests, RequestCounters injected) =>
        app.MapGet(Route, (RequestDelegate)(http => http.Response.WriteAsJsonAsync(
            new RecordPointSimStats
            {
                Requests = requests.Total,
                RequestsByRoute = requests.ByRoute,
                InjectedByRoute = injected.ByRoute,
                Items = store.Items.Count,
                Binaries = store.Binaries.Count,
                Process = SimProcessStats.Current(),
            },
            Json,
            http.RequestAborted)));
}

/// <summary>The memory of the process the simulators run in.</summary>
public sealed record SimProcessStats
{
    public required long WorkingSetBytes { get; init; }

    /// <summary>The process's peak working set so far (the OS's high-water mark).</summary>
    public required long PeakWorkingSetBytes { get; init; }

    public static SimProcessStats Current()
    {
        using var process = Process.GetCurrentProcess();
        return new SimProcessStats { WorkingSetBytes = process.WorkingSet64, PeakWorkingSetBytes = process.PeakWorkingSet64 };
    }
}

/// <summary><c>GET /_sim/stats</c> of the Confluence simulator: its counters and the figures of the site it serves.</summary>
public sealed record ConfluenceSimStats
{
    /// <summary>Requests received (<see cref="ConfluenceSimulator.Requests"/>).</summary>
    public required long Requests { get; init; }

    public required IReadOnlyDictionary<string, long> RequestsByRoute { get; init; }

    /// <summary>API requests that cost points (<see cref="PointsCounter.Requests"/>).</summary>
    public required long PointsRequests { get; init; }

    /// <summary>Objects returned (<see cref="PointsCounter.Objects"/>).</summary>
    public required long PointsObjects { get; init; }

    /// <summary>Points used: API requests + objects returned.</summary>
    public required long Points { get; init; }

    public required IReadOnlyDictionary<string, long> ObjectsByRoute { get; init; }

    /// <summary>Faults the profile injected, by kind (<see cref="ConfluenceSimulator.InjectedFaults"/>).</summary>
    public required IReadOnlyDictionary<string, long> InjectedByRoute { get; init; }

    public required long QuotaRefusals { get; init; }

    public required int QuotaWindows { get; init; }

    public required ConfluenceSiteStats Site { get; init; }

    public required SimProcessStats Process { get; init; }
}

/// <summary>The site's size and what a full sync of it has in scope: records (current and archived pages and blog posts), their current comments and attachments.</summary>
public sealed record ConfluenceSiteStats
{
    public required int Spaces { get; init; }

    public required int Pages { get; init; }

    public required int BlogPosts { get; init; }

    public required int RecordsInScope { get; init; }

    public required int CommentsInScope { get; init; }

    public required int AttachmentsInScope { get; init; }

    /// <summary>Whether <see cref="PointsLowerBound"/> is the site-wide listings' bound (else per-content).</summary>
    public required bool SiteWideListing { get; init; }

    /// <summary><see cref="Confluence.PointsLowerBound.For"/> the site and the listing strategy asked for.</summary>
    public required long PointsLowerBound { get; init; }

    internal static ConfluenceSiteStats Of(ConfluenceSite site, bool siteWide)
    {
        var records = Confluence.PointsLowerBound.Records(site);
        var recordIds = records.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        return new ConfluenceSiteStats
        {
            Spaces = site.Spaces.Count,
            Pages = site.Pages.Count,
            BlogPosts = site.BlogPosts.Count,
            RecordsInScope = records.Count,
            CommentsInScope = site.Comments.Count(c => c.Status == "current" && recordIds.Contains(c.ContainerId)),
            AttachmentsInScope = site.Attachments.Count(a => a.Status == "current" && recordIds.Contains(a.ContainerId)),
            SiteWideListing = siteWide,
            PointsLowerBound = Confluence.PointsLowerBound.For(site, siteWide),
        };
    }
}

/// <summary><c>GET /_sim/stats</c> of the RecordPoint simulator: its counters and what its store holds.</summary>
public sealed record RecordPointSimStats
{
    /// <summary>Requests received (<see cref="RecordPoint.RecordPointSimulator.Requests"/>).</summary>
    public required long Requests { get; init; }

    public required IReadOnlyDictionary<string, long> RequestsByRoute { get; init; }

    /// <summary>Faults the profile injected, by kind (<see cref="RecordPoint.RecordPointSimulator.InjectedFaults"/>).</summary>
    public required IReadOnlyDictionary<string, long> InjectedByRoute { get; init; }

    public required int Items { get; init; }

    public required int Binaries { get; init; }

    public required SimProcessStats Process { get; init; }
}
