using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using ConfluenceConnector.Simulators.Confluence;
using static ConfluenceConnector.Tests.Simulators.SimTestHelpers;

namespace ConfluenceConnector.Tests.Simulators;

public sealed class ConfluenceSimulatorTests : IAsyncLifetime
{
    private static readonly SiteSpec Spec = new() { Seed = 7, Spaces = 4, PagesPerSpace = 60, ArchivedPageFraction = 0.15, TrashedPageFraction = 0.1, DraftPageFraction = 0.1 };
    private ConfluenceSimulator _sim = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _sim = await ConfluenceSimulator.StartAsync(ConfluenceSiteGenerator.Generate(Spec));
        _client = ConfluenceClient(_sim);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _sim.DisposeAsync();
    }

    private SimSpace FirstGlobalSpace => _sim.Site.Spaces.First(s => s.Type == "global" && s.Status == "current");

    [Fact]
    public async Task Pagination_UsesRelativeNextLinks_LinkHeader_AndReturnsEveryPageOnce()
    {
        var space = FirstGlobalSpace;
        var expected = _sim.Site.Pages.Where(p => p.SpaceId == space.Id && p.Status is "current" or "archived")
            .Select(p => long.Parse(p.Id)).Order().ToList();
        Assert.True(expected.Count > 14);

        var first = $"/wiki/api/v2/spaces/{space.Id}/pages?depth=all&limit=7&body-format=storage";
        var response = await _client.GetAsync(first);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var next = (string)json["_links"]!["next"]!;
        var siteBase = _sim.BaseUrl.ToString().TrimEnd('/') + "/wiki";
        Assert.StartsWith($"/wiki/api/v2/spaces/{space.Id}/pages?", next);
        Assert.Contains("limit=7", next);
        Assert.Contains("depth=all", next);
        Assert.Contains("body-format=storage", next);
        Assert.Equal(siteBase, (string)json["_links"]!["base"]!);
        Assert.Equal($"<{next}>; rel=\"next\", <{siteBase}>; rel=\"base\"", string.Join(", ", response.Headers.GetValues("Link")));
        Assert.Equal(7, json["results"]!.AsArray().Count);

        var all = await WalkAsync(_client, first);
        Assert.Equal(expected, all.Select(n => long.Parse((string)n["id"]!)).ToList());
        Assert.All(all, n => Assert.Equal("storage", (string)n["body"]!["storage"]!["representation"]!));
        Assert.True(_sim.Requests["GET /wiki/api/v2/spaces/{id}/pages"] >= (expected.Count + 6) / 7);
    }

    [Fact]
    public async Task Pagination_LastPage_HasNoNextLinkNorLinkHeader()
    {
        var space = FirstGlobalSpace;
        var response = await _client.GetAsync($"/wiki/api/v2/spaces/{space.Id}/pages?limit=250");
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Null(json["_links"]!["next"]);
        Assert.False(response.Headers.Contains("Link"));
    }

    [Fact]
    public async Task Cursor_MustBePassedVerbatim_TamperedOrRebound_Is400()
    {
        var space = FirstGlobalSpace;
        var (_, json) = await GetJsonAsync(_client, $"/wiki/api/v2/spaces/{space.Id}/pages?limit=5");
        var next = (string)json!["_links"]!["next"]!;
        var cursor = next[(next.IndexOf("cursor=", StringComparison.Ordinal) + "cursor=".Length)..];
        Assert.Contains('=', cursor);

        var ok = await _client.GetAsync(next);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        var tampered = cursor[..4] + (cursor[4] == 'A' ? 'B' : 'A') + cursor[5..];
        var bad = await _client.GetAsync($"/wiki/api/v2/spaces/{space.Id}/pages?limit=5&cursor={tampered}");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var error = JsonNode.Parse(await bad.Content.ReadAsStringAsync())!;
        Assert.Equal(400, (int)error["errors"]![0]!["status"]!);

        var changedLimit = await _client.GetAsync($"/wiki/api/v2/spaces/{space.Id}/pages?limit=6&cursor={cursor}");
        Assert.Equal(HttpStatusCode.BadRequest, changedLimit.StatusCode);

        var garbage = await _client.GetAsync($"/wiki/api/v2/spaces/{space.Id}/pages?limit=5&cursor=not-a-cursor");
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
    }

    [Theory]
    [InlineData("limit=251")]
    [InlineData("limit=0")]
    [InlineData("limit=abc")]
    [InlineData("status=draft")]
    [InlineData("body-format=view")]
    [InlineData("body-format=html")]
    [InlineData("depth=some")]
    [InlineData("sort=size")]
    public async Task InvalidListParameters_Are400(string query)
    {
        var response = await _client.GetAsync($"/wiki/api/v2/spaces/{FirstGlobalSpace.Id}/pages?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Limit250_IsAccepted_AndSpacesLimitAbove250_Is400()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/wiki/api/v2/spaces?limit=250")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/wiki/api/v2/spaces?limit=251")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/wiki/api/v2/pages?limit=1000")).StatusCode);
    }

    [Fact]
    public async Task PageStatuses_DefaultToCurrentAndArchived_TrashedOnlyWhenAsked_DraftsNeverListed()
    {
        var space = FirstGlobalSpace;
        var pages = _sim.Site.Pages.Where(p => p.SpaceId == space.Id).ToList();
        Assert.Contains(pages, p => p.Status == "trashed");
        Assert.Contains(pages, p => p.Status == "draft");
        Assert.Contains(pages, p => p.Status == "archived");

        var byDefault = await WalkAsync(_client, $"/wiki/api/v2/spaces/{space.Id}/pages?limit=250");
        Assert.Equal(pages.Count(p => p.Status is "current" or "archived"), byDefault.Count);
        Assert.All(byDefault, n => Assert.Contains((string)n["status"]!, new[] { "current", "archived" }));

        var trashed = await WalkAsync(_client, $"/wiki/api/v2/spaces/{space.Id}/pages?status=trashed&limit=250");
        Assert.Equal(pages.Count(p => p.Status == "trashed"), trashed.Count);

        var repeated = await WalkAsync(_client, $"/wiki/api/v2/spaces/{space.Id}/pages?status=current&status=trashed&limit=250");
        Assert.Equal(pages.Count(p => p.Status is "current" or "trashed"), repeated.Count);

        var all = await WalkAsync(_client, $"/wiki/api/v2/pages?space-id={space.Id}&status=current,archived,trashed,deleted&limit=250");
        Assert.DoesNotContain(all, n => (string)n["status"]! == "draft");
    }

    [Fact]
    public async Task Spaces_DefaultToCurrentOnly_ArchivedWhenAsked_FilterByKeysAndType()
    {
        var current = await WalkAsync(_client, "/wiki/api/v2/spaces?limit=2");
        Assert.Equal(_sim.Site.Spaces.Count(s => s.Status == "current"), current.Count);
        Assert.Equal(current.Select(n => long.Parse((string)n["id"]!)).Order(), current.Select(n => long.Parse((string)n["id"]!)));

        var archived = await WalkAsync(_client, "/wiki/api/v2/spaces?status=archived");
        Assert.Single(archived);
        Assert.Equal("archived", (string)archived[0]["status"]!);

        var personal = await WalkAsync(_client, "/wiki/api/v2/spaces?type=personal");
        var key = (string)Assert.Single(personal)["key"]!;
        Assert.StartsWith("~", key);

        var space = FirstGlobalSpace;
        var (_, json) = await GetJsonAsync(_client, $"/wiki/api/v2/spaces?keys={Uri.EscapeDataString(key)},{space.Key}");
        Assert.Equal(2, json!["results"]!.AsArray().Count);

        var one = (await WalkAsync(_client, $"/wiki/api/v2/spaces?ids={space.Id}"))[0];
        Assert.Equal(space.Key, (string)one["key"]!);
        Assert.Equal(space.HomepageId, (string)one["homepageId"]!);
        Assert.Equal("/spaces/" + space.Key, (string)one["_links"]!["webui"]!);
        Assert.Null(one["description"]);
        Assert.Null(one["icon"]);
        Assert.True(one.AsObject().ContainsKey("description"));

        var described = (await WalkAsync(_client, $"/wiki/api/v2/spaces?ids={space.Id}&description-format=plain"))[0];
        Assert.Equal(space.Description, (string)described["description"]!["plain"]!["value"]!);
    }

    [Fact]
    public async Task BodyFormat_OmittedMeansNoBody_StorageAndAdfOnLists_RenderedFormsOnSinglePage()
    {
        var space = FirstGlobalSpace;
        var noBody = (await GetJsonAsync(_client, $"/wiki/api/v2/spaces/{space.Id}/pages?limit=3")).Json!["results"]![0]!;
        Assert.False(noBody.AsObject().ContainsKey("body"));

        var page = _sim.Site.Pages.First(p => p.Id == (string)noBody["id"]!);
        var storage = (await GetJsonAsync(_client, $"/wiki/api/v2/pages?id={page.Id}&body-format=storage")).Json!["results"]![0]!;
        Assert.Equal(page.BodyStorage, (string)storage["body"]!["storage"]!["value"]!);

        var adf = (await GetJsonAsync(_client, $"/wiki/api/v2/pages?id={page.Id}&body-format=atlas_doc_format")).Json!["results"]![0]!;
        var doc = JsonNode.Parse((string)adf["body"]!["atlas_doc_format"]!["value"]!)!;
        Assert.Equal("doc", (string)doc["type"]!);

        var (response, single) = await GetJsonAsync(_client, $"/wiki/api/v2/pages/{page.Id}?body-format=export_view");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = (string)single!["body"]!["export_view"]!["value"]!;
        Assert.DoesNotContain("<ac:", html);
        Assert.Equal(page.Title, (string)single["title"]!);
        Assert.Equal(_sim.BaseUrl.ToString().TrimEnd('/') + "/wiki", (string)single["_links"]!["base"]!);
        Assert.StartsWith($"/spaces/{space.Key}/pages/{page.Id}/", (string)single["_links"]!["webui"]!);
        Assert.Equal(page.Version.Number, (int)single["version"]!["number"]!);

        var view = (await GetJsonAsync(_client, $"/wiki/api/v2/pages/{page.Id}?body-format=view")).Json!;
        Assert.Equal("view", (string)view["body"]!["view"]!["representation"]!);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/wiki/api/v2/pages/{page.Id}?body-format=pdf")).StatusCode);
    }

    [Fact]
    public async Task PageJson_HasTheSpecFields()
    {
        var page = _sim.Site.Pages.First(p => p.ParentId is not null && p.Status == "current");
        var json = (await GetJsonAsync(_client, $"/wiki/api/v2/pages/{page.Id}")).Json!.AsObject();
        foreach (var field in new[] { "id", "status", "title", "spaceId", "parentId", "parentType", "position", "authorId", "ownerId", "lastOwnerId", "createdAt", "version", "_links" })
        {
            Assert.True(json.ContainsKey(field), field);
        }

        Assert.Equal(page.ParentId, (string)json["parentId"]!);
        Assert.Equal("page", (string)json["parentType"]!);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", (string)json["createdAt"]!);
        var version = json["version"]!.AsObject();
        foreach (var field in new[] { "createdAt", "message", "number", "minorEdit", "authorId" })
        {
            Assert.True(version.ContainsKey(field), field);
        }
    }

    [Fact]
    public async Task Ids_MustBeNumeric_UnknownSpaceIs404_SinglePageVisibilityFollowsStatus()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/wiki/api/v2/spaces/ENG/pages")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/wiki/api/v2/pages/abc")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/wiki/api/v2/pages?space-id=ENG")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/wiki/api/v2/spaces/999999999/pages")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/wiki/api/v2/pages/999999999")).StatusCode);

        var trashed = _sim.Site.Pages.First(p => p.Status == "trashed");
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/wiki/api/v2/pages/{trashed.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/wiki/api/v2/pages/{trashed.Id}?status=trashed")).StatusCode);

        var archived = _sim.Site.Pages.First(p => p.Status == "archived");
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/wiki/api/v2/pages/{archived.Id}")).StatusCode);

        var draft = _sim.Site.Pages.First(p => p.Status == "draft");
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/wiki/api/v2/pages/{draft.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync($"/wiki/api/v2/pages/{draft.Id}?get-draft=true")).StatusCode);

        var current = _sim.Site.Pages.First(p => p.Status == "current" && p.ParentId is not null);
        current.Status = "deleted";
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/wiki/api/v2/pages/{current.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/wiki/api/v2/pages/{current.Id}?status=deleted")).StatusCode);
    }

    [Fact]
    public async Task PagesAcrossSpaces_WalksEverySpace_AndRejectsMoreThan100SpaceIds()
    {
        var ids = string.Join(',', _sim.Site.Spaces.Select(s => s.Id));
        var all = await WalkAsync(_client, $"/wiki/api/v2/pages?space-id={ids}&body-format=storage&limit=50");
        Assert.Equal(_sim.Site.Pages.Count(p => p.Status is "current" or "archived"), all.Count);
        Assert.Equal(all.Count, all.Select(n => (string)n["id"]!).Distinct().Count());

        var tooMany = string.Join(',', Enumerable.Range(1, 101));
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/wiki/api/v2/pages?space-id={tooMany}")).StatusCode);
    }

    [Fact]
    public async Task DepthRoot_ReturnsOnlyRootPages()
    {
        var space = FirstGlobalSpace;
        var roots = await WalkAsync(_client, $"/wiki/api/v2/spaces/{space.Id}/pages?depth=root&limit=250");
        Assert.NotEmpty(roots);
        Assert.All(roots, n => Assert.Null(n["parentId"]));
        Assert.Contains(roots, n => (string)n["id"]! == space.HomepageId);
    }

    [Fact]
    public async Task BasicAuth_IsRequired()
    {
        using var anonymous = new HttpClient { BaseAddress = _sim.BaseUrl };
        var response = await anonymous.GetAsync("/wiki/api/v2/spaces");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(401, (int)json["code"]!);
        Assert.Contains("Unauthorized", (string)json["message"]!);

        anonymous.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("sync@example.com:wrong")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/wiki/api/v2/spaces")).StatusCode);
    }

    [Fact]
    public async Task BasicAuth_CanBeSwitchedOff()
    {
        await using var open = await ConfluenceSimulator.StartAsync(new ConfluenceSite(), new ConfluenceSimulatorOptions { RequireAuth = false });
        using var anonymous = new HttpClient { BaseAddress = open.BaseUrl };
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/wiki/api/v2/spaces")).StatusCode);
    }

    [Fact]
    public async Task FailNext_AnswersTheInjectedStatus_ThenRecovers_AndRequestsAreCounted()
    {
        _sim.Requests.Reset();
        _sim.FailNext(r => r.Path.Value!.EndsWith("/spaces", StringComparison.Ordinal), 503, times: 2);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _client.GetAsync("/wiki/api/v2/spaces")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/wiki/api/v2/pages?limit=1")).StatusCode);
        var second = await _client.GetAsync("/wiki/api/v2/spaces");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        var error = JsonNode.Parse(await second.Content.ReadAsStringAsync())!;
        Assert.Equal(503, (int)error["errors"]![0]!["status"]!);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/wiki/api/v2/spaces")).StatusCode);

        _sim.FailNext(_ => true, 429, headers: new Dictionary<string, string> { ["Retry-After"] = "1" });
        var throttled = await _client.GetAsync("/wiki/api/v2/spaces");
        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        Assert.Equal("1", throttled.Headers.GetValues("Retry-After").Single());

        Assert.Equal(4, _sim.Requests["GET /wiki/api/v2/spaces"]);
        Assert.Equal(1, _sim.Requests["GET /wiki/api/v2/pages"]);
        Assert.Equal(5, _sim.Requests.Total);
        Assert.Equal(0, _sim.PendingFaults);
    }

    [Fact]
    public void Generator_IsDeterministic_AndBuildsAPlausibleSite()
    {
        var a = ConfluenceSiteGenerator.Generate(Spec);
        var b = ConfluenceSiteGenerator.Generate(Spec);
        Assert.Equal(Describe(a), Describe(b));
        Assert.NotEqual(Describe(a), Describe(ConfluenceSiteGenerator.Generate(Spec with { Seed = 8 })));

        Assert.Equal(Spec.Spaces, a.Spaces.Count);
        Assert.Equal(Spec.Spaces * Spec.PagesPerSpace, a.Pages.Count);
        Assert.Equal(1, a.Spaces.Count(s => s.Type == "personal" && s.Key.StartsWith('~')));
        Assert.Equal(1, a.Spaces.Count(s => s.Status == "archived"));
        Assert.Equal(a.Pages.Count, a.Pages.Select(p => p.Id).Distinct().Count());
        Assert.Contains(a.Pages, p => p.Title.Any(c => c > 127));
        Assert.All(a.Spaces, s => Assert.Matches(@"^\d+$", s.Id));

        var index = a.Pages.Select((p, i) => (p, i)).ToDictionary(x => x.p.Id, x => x.i);
        foreach (var (page, i) in a.Pages.Select((p, i) => (p, i)))
        {
            Assert.Matches(@"^\d+$", page.Id);
            Assert.Matches(@"^([0-9a-f]{24}|712020:[0-9a-f-]{36})$", page.AuthorId);
            Assert.True(page.Version.Number >= 1);
            Assert.True(page.Version.CreatedAt >= page.CreatedAt);
            if (page.ParentId is not null)
            {
                Assert.True(index[page.ParentId] < i);
                Assert.Equal(page.SpaceId, a.Pages[index[page.ParentId]].SpaceId);
                Assert.Equal("page", page.ParentType);
            }

            var body = page.BodyStorage;
            var size = System.Text.Encoding.UTF8.GetByteCount(body);
            Assert.InRange(size, Spec.MinBodyBytes, Spec.MaxBodyBytes);
            XDocument.Parse($"<root xmlns:ac=\"urn:ac\" xmlns:ri=\"urn:ri\">{body}</root>");
        }

        Assert.Contains(a.Pages, p => p.BodyStorage.Contains("<ac:structured-macro", StringComparison.Ordinal));
        Assert.Contains(a.Pages, p => p.BodyStorage.Contains("<table>", StringComparison.Ordinal));

        static string Describe(ConfluenceSite site) => string.Join('\n', site.Spaces.Select(s => $"{s.Id}|{s.Key}|{s.Name}|{s.Type}|{s.Status}|{s.AuthorId}|{s.CreatedAt:O}|{s.HomepageId}")
            .Concat(site.Pages.Select(p => $"{p.Id}|{p.SpaceId}|{p.Title}|{p.Status}|{p.ParentId}|{p.Position}|{p.AuthorId}|{p.OwnerId}|{p.CreatedAt:O}|{p.Version.Number}|{p.Version.CreatedAt:O}|{p.BodyStorage}")));
    }

    [Fact]
    public async Task HandBuiltSite_Works()
    {
        var site = new ConfluenceSite();
        var space = site.AddSpace("HAND", "Hand built");
        var home = site.AddPage(space, "Home");
        var child = site.AddPage(space, "Child — 子", parent: home, bodyStorage: "<p>hello</p>");
        await using var sim = await ConfluenceSimulator.StartAsync(site);
        using var client = ConfluenceClient(sim);
        var pages = await WalkAsync(client, $"/wiki/api/v2/spaces/{space.Id}/pages?body-format=storage");
        Assert.Equal(new[] { home.Id, child.Id }, pages.Select(p => (string)p["id"]!));
        Assert.Equal("<p>hello</p>", (string)pages[1]["body"]!["storage"]!["value"]!);
        Assert.Equal(home.Id, space.HomepageId);
    }
}
