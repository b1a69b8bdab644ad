using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Confluence.OAuth;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace ConfluenceConnector.Tests.Confluence.OAuth;

/// <summary>The authorise state: unguessable, single use, bound to the browser, short-lived; a bad one never reaches Atlassian.</summary>
public sealed class OAuthStateTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly Mock<IHttpClientFactory> http = new(MockBehavior.Strict);
    private readonly Mock<ITokenStore> tokens = new(MockBehavior.Strict);
    private readonly InMemoryOAuthStateStore states = new();

    private OAuthAuthorizationFlow Flow() => new(
        new AtlassianOAuthClient(http.Object, Options.Create(new ConfluenceOptions
        {
            Domain = "acme",
            AuthMode = ConfluenceAuthMode.OAuth,
            ClientId = "client-1",
            ClientSecret = "secret-1",
            CallbackUrl = new Uri("https://app.example.net/api/oauth/callback"),
        })),
        states,
        tokens.Object,
        Options.Create(new ConfluenceOptions { Domain = "acme" }),
        time,
        NullLogger<OAuthAuthorizationFlow>.Instance);

    [Fact]
    public async Task The_authorise_url_asks_for_the_read_only_scopes_with_state_and_pkce()
    {
        var start = await Flow().BeginAsync(CancellationToken.None);

        var query = QueryHelpers.ParseQuery(start.AuthorizeUrl.Query);
        Assert.Equal("https://auth.atlassian.com/authorize", start.AuthorizeUrl.GetLeftPart(UriPartial.Path));
        Assert.Equal("client-1", query["client_id"]);
        Assert.Equal(string.Join(' ', ConfluenceScopes.Required), query["scope"]);
        Assert.Contains("offline_access", query["scope"].ToString(), StringComparison.Ordinal);
        Assert.Equal("https://app.example.net/api/oauth/callback", query["redirect_uri"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.True(query["state"].ToString().Length >= 43, "state must carry at least 256 bits");
        Assert.NotEqual(query["state"].ToString(), QueryHelpers.ParseQuery((await Flow().BeginAsync(CancellationToken.None)).AuthorizeUrl.Query)["state"].ToString());
        Assert.DoesNotContain("secret-1", start.AuthorizeUrl.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_state_is_refused()
    {
        var start = await Flow().BeginAsync(CancellationToken.None);

        var outcome = await Flow().CompleteAsync(new AuthorizationCallback("code", "forged-state", null, null), start.Binding, CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Contains("unknown or was already used", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_state_is_refused()
    {
        var outcome = await Flow().CompleteAsync(new AuthorizationCallback("code", null, null, null), "binding", CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Contains("no state", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_state_is_refused_and_consumed()
    {
        var start = await Flow().BeginAsync(CancellationToken.None);
        var state = QueryHelpers.ParseQuery(start.AuthorizeUrl.Query)["state"].ToString();
        time.Advance(OAuthAuthorizationFlow.StateLifetime);

        var expired = await Flow().CompleteAsync(new AuthorizationCallback("code", state, null, null), start.Binding, CancellationToken.None);
        var again = await Flow().CompleteAsync(new AuthorizationCallback("code", state, null, null), start.Binding, CancellationToken.None);

        Assert.Contains("expired", expired.Message, StringComparison.Ordinal);
        Assert.Contains("already used", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_state_from_another_browser_is_refused()
    {
        var start = await Flow().BeginAsync(CancellationToken.None);
        var state = QueryHelpers.ParseQuery(start.AuthorizeUrl.Query)["state"].ToString();

        var outcome = await Flow().CompleteAsync(new AuthorizationCallback("code", state, null, null), "someone-elses-binding", CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Contains("not belong to an authorisation started from this browser", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_atlassian_errors_are_explained()
    {
        var start = await Flow().BeginAsync(CancellationToken.None);
        var state = QueryHelpers.ParseQuery(start.AuthorizeUrl.Query)["state"].ToString();

        var outcome = await Flow().CompleteAsync(new AuthorizationCallback(null, state, "invalid_scope", "scope <b>bad</b>"), start.Binding, CancellationToken.None);

        Assert.Contains("'invalid_scope'", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;", AuthorizationPage.Render(outcome), StringComparison.Ordinal);
    }

    [Fact]
    public void Scope_check_names_missing_and_excessive_scopes()
    {
        var check = ConfluenceScopes.Check([.. ConfluenceScopes.Required.Skip(1), "write:page:confluence", "delete:page:confluence", "search:confluence"]);

        Assert.Equal([ConfluenceScopes.Required[0]], check.Missing);
        Assert.Equal(["delete:page:confluence", "write:page:confluence"], check.Excessive);
        Assert.True(ConfluenceScopes.Check(ConfluenceScopes.Required).IsAcceptable);
    }
}
