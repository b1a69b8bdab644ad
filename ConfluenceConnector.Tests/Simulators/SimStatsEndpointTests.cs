using System.Net;
using System.Net.Http.Json;
using ConfluenceConnector.Simulators.Common;
using ConfluenceConnector.Simulators.Confluence;
using ConfluenceConnector.Simulators.RecordPoint;
using static ConfluenceConnector.Tests.Simulators.SimTestHelpers;

namespace ConfluenceConnector.Tests.Simulators;

/// <summary><c>GET /_sim/stats</c> on both simulators: their counters and the site's figures as JSON, not counted themselves.</summary>
public sealed class SimStatsEndpointTests : IAsyncLifetime
{
    private ConfluenceSimulator confluence = null!;
    private RecordPointSimulator recordPoint = null!;
    private HttpClient client = null!;
    private HttpClient raw = null!;

    public async Task InitializeAsync()
    {
        confluence = await ConfluenceSimulator.StartAsync(ConfluenceSiteGenerator.Generate(new SiteSpec { Seed = 3, Spaces = 2, PagesPerSpace = 30 }));
        recordPoint = await RecordPointSimulator.StartAsync();
        client = ConfluenceClient(confluence);
        raw = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        raw.Dispose();
        await confluence.DisposeAsync();
        await recordPoint.DisposeAsync();
    }

    [Fact]
    public async Task Confluence_stats_are_its_counters_and_the_site_figures_for_the_listing_asked_for()
    {
        var spaces = await WalkAsync(client, "/wiki/api/v2/spaces?limit=1");
        var site = confluence.Site;

        var siteWide = await raw.GetFromJsonAsync<ConfluenceSimStats>(new Uri(confluence.BaseUrl, "_sim/stats"), SimStats.Json);
        var perContent = await raw.GetFromJsonAsync<ConfluenceSimStats>(new Uri(confluence.BaseUrl, "_sim/stats?listing=percontent"), SimStats.Json);

        Assert.NotNull(siteWide);
        Assert.NotNull(perContent);
        Assert.Equal(spaces.Count, siteWide.RequestsByRoute["GET /wiki/api/v2/spaces"]);
        Assert.Equal(confluence.Requests.Total, siteWide.Requests);
        Assert.Equal(confluence.Requests.ByRoute, siteWide.RequestsByRoute);
        Assert.DoesNotContain(siteWide.RequestsByRoute.Keys, k => k.Contains("/_sim/", StringComparison.Ordinal));
        Assert.Equal(confluence.Points.Total, siteWide.Points);
        Assert.Equal(siteWide.PointsRequests + siteWide.PointsObjects, siteWide.Points);
        Assert.Equal(spaces.Count, siteWide.ObjectsByRoute["GET /wiki/api/v2/spaces"]);
        Assert.Empty(siteWide.InjectedByRoute);
        Assert.Equal(site.Pages.Count, siteWide.Site.Pages);
        Assert.Equal(site.Spaces.Count, siteWide.Site.Spaces);
        Assert.Equal(PointsLowerBound.Records(site).Count, siteWide.Site.RecordsInScope);
        Assert.True(siteWide.Site.SiteWideListing);
        Assert.Equal(PointsLowerBound.For(site, siteWide: true), siteWide.Site.PointsLowerBound);
        Assert.False(perContent.Site.SiteWideListing);
        Assert.Equal(PointsLowerBound.For(site, siteWide: false), perContent.Site.PointsLowerBound);
        Assert.Equal(siteWide.Requests, perContent.Requests);
        Assert.InRange(siteWide.Process.PeakWorkingSetBytes, 1, long.MaxValue);
    }

    [Fact]
    public async Task An_unknown_listing_is_refused()
    {
        using var response = await raw.GetAsync(new Uri(confluence.BaseUrl, "_sim/stats?listing=sideways"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task RecordPoint_stats_are_its_counters_and_what_its_store_holds()
    {
        using var inspection = await raw.GetAsync(new Uri(recordPoint.BaseUrl, "_sim/items"));
        using var notifications = await raw.GetAsync(new Uri(recordPoint.BaseUrl, "connector/api/Notifications/c1"));

        var stats = await raw.GetFromJsonAsync<RecordPointSimStats>(new Uri(recordPoint.BaseUrl, "_sim/stats"), SimStats.Json);

        Assert.NotNull(stats);
        Assert.Equal(1, stats.Requests);
        Assert.Equal(1, stats.RequestsByRoute["GET /connector/api/Notifications/{connectorId}"]);
        Assert.Equal(recordPoint.Requests.ByRoute, stats.RequestsByRoute);
        Assert.Empty(stats.InjectedByRoute);
        Assert.Equal(recordPoint.Store.Items.Count, stats.Items);
        Assert.Equal(recordPoint.Store.Binaries.Count, stats.Binaries);
        Assert.InRange(stats.Process.PeakWorkingSetBytes, 1, long.MaxValue);
    }
}
