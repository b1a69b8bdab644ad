using System.Net;
using ConfluenceConnector.Core.Confluence.OAuth;
using Microsoft.Extensions.DependencyInjection;

namespace ConfluenceConnector.Tests.Confluence.OAuth;

/// <summary>The consent flow end to end against the simulated Atlassian authorisation server, over real HTTP.</summary>
public sealed class OAuthFlowIntegrationTests
{
    [Fact]
    public async Task Consent_stores_the_refresh_token_with_site_account_and_scopes()
    {
        await using var sim = await OAuthSimulatorFixture.StartAsync();
        await using var services = sim.Services();

        var outcome = await sim.AuthorizeAsync(services);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Contains("You may now enable the connector", outcome.Message, StringComparison.Ordinal);
        var stored = await services.GetRequiredService<ITokenStore>().GetAsync(CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(sim.Server.Options.CloudId, stored.CloudId);
        Assert.Equal("https://acme.atlassian.net", stored.SiteUrl);
        Assert.Equal(sim.Server.Options.AccountId, stored.AccountId);
        Assert.Equal(ConfluenceScopes.Required.Order(), stored.Scopes.Order());
        Assert.False(string.IsNullOrEmpty(stored.RefreshToken));
        Assert.DoesNotContain(stored.RefreshToken, stored.ToString(), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(sim.TokenPath));
        }
    }

    [Fact]
    public async Task A_state_is_single_use()
    {
        await using var sim = await OAuthSimulatorFixture.StartAsync();
        await using var services = sim.Services();
        var flow = services.GetRequiredService<OAuthAuthorizationFlow>();
        var start = await flow.BeginAsync(CancellationToken.None);
        var callback = await OAuthSimulatorFixture.FollowConsentAsync(start.AuthorizeUrl);

        var first = await flow.CompleteAsync(callback, start.Binding, CancellationToken.None);
        var replay = await flow.CompleteAsync(callback, start.Binding, CancellationToken.None);

        Assert.True(first.Succeeded, first.Message);
        Assert.False(replay.Succeeded);
        Assert.Contains("already used", replay.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Declined_consent_says_so_and_stores_nothing()
    {
        await using var sim = await OAuthSimulatorFixture.StartAsync(o => o.DenyConsent = true);
        await using var services = sim.Services();

        var outcome = await sim.AuthorizeAsync(services);

        Assert.False(outcome.Succeeded);
        Assert.Equal(HttpStatusCode.Forbidden, outcome.StatusCode);
        Assert.Contains("Consent was declined", outcome.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(sim.TokenPath));
    }

    [Fact]
    public async Task A_consent_for_another_site_names_the_sites_it_covers()
    {
        await using var sim = await OAuthSimulatorFixture.StartAsync(o => o.OtherSites.Add(("c0ffee", "beta", "https://beta.atlassian.net")));
        sim.Settings["Confluence:Domain"] = "gamma";
        await using var services = sim.Services();

        var outcome = await sim.AuthorizeAsync(services);

        Assert.False(outcome.Succeeded);
        Assert.Contains("https://gamma.atlassian.net", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("https://beta.atlassian.net, https://acme.atlassian.net", outcome.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(sim.TokenPath));
    }

    [Fact]
    public async Task Missing_scopes_are_named_and_nothing_is_stored()
    {
        await using var sim = await OAuthSimulatorFixture.StartAsync(o => o.GrantedScopes = ConfluenceScopes.Required.Where(s => s != "read:page:confluence").ToList());
        await using var services = sim.Services();

        var outcome = await sim.AuthorizeAsync(services);

        Assert.False(outcome.Succeeded);
        Assert.Contains("missing: read:page:confluence", outcome.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(sim.TokenPath));
    }

    [Fact]
    public async Task Write_or_admin_scopes_are_refused_and_nothing_is_stored()
    {
        await using var sim = await OAuthSimulatorFixture.StartAsync(o => o.GrantedScopes = [.. ConfluenceScopes.Required, "write:page:confluence", "manage:confluence-configuration"]);
        await using var services = sim.Services();

        var outcome = await sim.AuthorizeAsync(services);

        Assert.False(outcome.Succeeded);
        Assert.Contains("not read-only", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("manage:confluence-configuration, write:page:confluence", outcome.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(sim.TokenPath));
    }

    [Fact]
    public async Task A_wrong_client_secret_fails_the_exchange_without_echoing_it()
    {
        await using var sim = await OAuthSimulatorFixture.StartAsync();
        sim.Settings["Confluence:ClientSecret"] = "not-the-secret";
        await using var services = sim.Services();

        var outcome = await sim.AuthorizeAsync(services);

        Assert.False(outcome.Succeeded);
        Assert.Equal(HttpStatusCode.BadGateway, outcome.StatusCode);
        Assert.Contains("Confluence:ClientSecret", outcome.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", outcome.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(sim.TokenPath));
    }
}
