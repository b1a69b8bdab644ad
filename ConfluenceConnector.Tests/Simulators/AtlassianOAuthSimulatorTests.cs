using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ConfluenceConnector.Simulators.Confluence;
using ConfluenceConnector.Simulators.Confluence.OAuth;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Time.Testing;

namespace ConfluenceConnector.Tests.Simulators;

/// <summary>The simulated Atlassian authorisation server and gateway behave as Atlassian documents.</summary>
public sealed class AtlassianOAuthSimulatorTests
{
    private const string Redirect = "http://127.0.0.1:8765/callback";

    [Fact]
    public async Task Codes_are_single_use_and_bound_to_the_redirect_uri_and_the_client_secret()
    {
        await using var sim = await StartAsync();
        using var http = new HttpClient { BaseAddress = sim.BaseUrl };

        var code = await ConsentAsync(sim, ["read:space:confluence", "offline_access"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ExchangeAsync(http, sim, code, Redirect, secret: "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ExchangeAsync(http, sim, code, "http://127.0.0.1:9999/other")).StatusCode);

        var other = await ConsentAsync(sim, ["read:space:confluence", "offline_access"]);
        Assert.Equal(HttpStatusCode.OK, (await ExchangeAsync(http, sim, other, Redirect)).StatusCode);
        var replay = await ExchangeAsync(http, sim, other, Redirect);
        Assert.Equal(HttpStatusCode.Forbidden, replay.StatusCode);
        Assert.Equal("invalid_grant", (string?)(await replay.Content.ReadFromJsonAsync<JsonNode>())!["error"]);
    }

    [Fact]
    public async Task A_rotated_refresh_token_works_within_the_leeway_and_kills_the_chain_after_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sim = await StartAsync(o => o.Time = time);
        using var http = new HttpClient { BaseAddress = sim.BaseUrl };
        var first = await TokensAsync(await ExchangeAsync(http, sim, await ConsentAsync(sim, ["read:space:confluence", "offline_access"]), Redirect));

        var second = await TokensAsync(await RefreshAsync(http, sim, (string)first["refresh_token"]!));
        time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(http, sim, (string)first["refresh_token"]!)).StatusCode);
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.Forbidden, (await RefreshAsync(http, sim, (string)first["refresh_token"]!)).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await RefreshAsync(http, sim, (string)second["refresh_token"]!)).StatusCode);
        Assert.Equal(1, sim.AuthorizationServer.ChainInvalidations);
        Assert.Equal(1, sim.AuthorizationServer.LeewayReuses);
    }

    [Fact]
    public async Task The_gateway_needs_a_bearer_token_with_the_granular_scope_and_basic_auth_still_works_on_the_site()
    {
        await using var sim = await StartAsync();
        using var http = new HttpClient { BaseAddress = sim.BaseUrl };
        var tokens = await TokensAsync(await ExchangeAsync(http, sim, await ConsentAsync(sim, ["read:space:confluence"]), Redirect));
        var gateway = $"ex/confluence/{sim.AuthorizationServer.Options.CloudId}/wiki/api/v2";
        var bearer = new AuthenticationHeaderValue("Bearer", (string)tokens["access_token"]!);

        var spaces = await SendAsync(http, $"{gateway}/spaces", bearer);
        var pages = await SendAsync(http, $"{gateway}/pages", bearer);
        var bearerOnSite = await SendAsync(http, "wiki/api/v2/spaces", bearer);
        var basicOnSite = await SendAsync(http, "wiki/api/v2/spaces", AuthenticationHeaderValue.Parse(sim.BasicAuthorizationHeader));
        var basicOnGateway = await SendAsync(http, $"{gateway}/spaces", AuthenticationHeaderValue.Parse(sim.BasicAuthorizationHeader));

        Assert.Equal(HttpStatusCode.OK, spaces.StatusCode);
        Assert.StartsWith("/wiki/api/v2/spaces", (string?)(await spaces.Content.ReadFromJsonAsync<JsonNode>())!["_links"]!["next"] ?? "/wiki/api/v2/spaces", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, pages.StatusCode);
        Assert.Contains("scope does not match", await pages.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, bearerOnSite.StatusCode);
        Assert.Equal(HttpStatusCode.OK, basicOnSite.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, basicOnGateway.StatusCode);
    }

    [Theory]
    [InlineData("/wiki/api/v2/spaces", "read:space:confluence")]
    [InlineData("/wiki/api/v2/spaces/12/pages", "read:page:confluence")]
    [InlineData("/wiki/api/v2/footer-comments/5/children", "read:comment:confluence")]
    [InlineData("/wiki/api/v2/pages/7/children", "read:hierarchical-content:confluence")]
    [InlineData("/wiki/api/v2/pages/7/labels", "read:label:confluence")]
    [InlineData("/wiki/rest/api/content/7/child/attachment/att9/download", "readonly:content.attachment:confluence")]
    public void Each_v2_route_needs_its_granular_scope(string path, string scope) =>
        Assert.Equal(scope, AtlassianAuthorizationServer.RequiredScope(path));

    private static Task<ConfluenceSimulator> StartAsync(Action<AtlassianOAuthSimulatorOptions>? configure = null)
    {
        var options = new ConfluenceSimulatorOptions();
        configure?.Invoke(options.OAuth);
        return ConfluenceSimulator.StartAsync(ConfluenceSiteGenerator.Generate(new SiteSpec { Spaces = 2, PagesPerSpace = 2, SiteName = "acme" }), options);
    }

    private static async Task<string> ConsentAsync(ConfluenceSimulator sim, string[] scopes)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = sim.BaseUrl };
        var url = QueryHelpers.AddQueryString("authorize", new Dictionary<string, string?>
        {
            ["audience"] = "api.atlassian.com",
            ["client_id"] = sim.Options.OAuth.ClientId,
            ["scope"] = string.Join(' ', scopes),
            ["redirect_uri"] = Redirect,
            ["state"] = "s",
            ["response_type"] = "code",
        });
        using var response = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return QueryHelpers.ParseQuery(response.Headers.Location!.Query)["code"].ToString();
    }

    private static Task<HttpResponseMessage> ExchangeAsync(HttpClient http, ConfluenceSimulator sim, string code, string redirectUri, string? secret = null) =>
        http.PostAsJsonAsync("oauth/token", new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = sim.Options.OAuth.ClientId,
            ["client_secret"] = secret ?? sim.Options.OAuth.ClientSecret,
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
        });

    private static Task<HttpResponseMessage> RefreshAsync(HttpClient http, ConfluenceSimulator sim, string refreshToken) =>
        http.PostAsJsonAsync("oauth/token", new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = sim.Options.OAuth.ClientId,
            ["client_secret"] = sim.Options.OAuth.ClientSecret,
            ["refresh_token"] = refreshToken,
        });

    private static async Task<JsonNode> TokensAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string path, AuthenticationHeaderValue authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        return http.SendAsync(request);
    }
}
