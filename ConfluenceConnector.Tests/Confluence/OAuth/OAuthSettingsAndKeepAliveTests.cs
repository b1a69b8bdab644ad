using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Confluence.OAuth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ConfluenceConnector.Tests.Confluence.OAuth;

public sealed class OAuthSettingsAndKeepAliveTests
{
    private static ConfluenceOptions OAuthOptions(string? callback) => new()
    {
        Domain = "acme",
        AuthMode = ConfluenceAuthMode.OAuth,
        ClientId = "client",
        ClientSecret = "secret",
        CallbackUrl = callback is null ? null : new Uri(callback, UriKind.RelativeOrAbsolute),
    };

    [Theory]
    [InlineData("https://app.azurewebsites.net/api/oauth/callback", true)]
    [InlineData("http://127.0.0.1:8765/callback", true)]
    [InlineData("http://app.azurewebsites.net/api/oauth/callback", false)]
    [InlineData("/api/oauth/callback", false)]
    [InlineData(null, false)]
    public void The_callback_url_must_be_absolute_https_or_loopback_http(string? callback, bool valid)
    {
        var result = new ConfluenceOptionsValidator().Validate(null, OAuthOptions(callback));

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains(result.Failures!, f => f.StartsWith("Confluence:CallbackUrl", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void OAuth_requires_the_client_id_and_secret()
    {
        var options = OAuthOptions("https://app.azurewebsites.net/api/oauth/callback");
        options.ClientId = null;
        options.ClientSecret = " ";

        var failures = new ConfluenceOptionsValidator().Validate(null, options).Failures!;

        Assert.Contains(failures, f => f.StartsWith("Confluence:ClientId is required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Confluence:ClientSecret is required", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.Contains("Confluence:Email", StringComparison.Ordinal));
    }

    [Fact]
    public void The_reauthorisation_hint_names_the_authorise_endpoint_in_azure()
    {
        Assert.Contains("https://app.azurewebsites.net/api/oauth/authorize", OAuthLinks.HowToAuthorize(OAuthOptions("https://app.azurewebsites.net/api/oauth/callback")), StringComparison.Ordinal);
        Assert.Contains("confluence-connector authorize", OAuthLinks.HowToAuthorize(OAuthOptions("http://127.0.0.1:8765/callback")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keep_alive_refreshes_an_idle_token_and_warns_before_the_consent_horizon()
    {
        await using var sim = await OAuthSimulatorFixture.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = sim.Services(s => s.AddSingleton<TimeProvider>(time));
        Assert.True((await sim.AuthorizeAsync(services)).Succeeded);
        var keepAlive = services.GetRequiredService<RefreshTokenKeepAlive>();

        var fresh = await keepAlive.RunAsync(CancellationToken.None);
        time.Advance(RefreshTokenKeepAlive.RefreshAfter);
        var idle = await keepAlive.RunAsync(CancellationToken.None);
        time.Advance(RefreshTokenKeepAlive.ConsentLifetime - RefreshTokenKeepAlive.ConsentWarning - RefreshTokenKeepAlive.RefreshAfter);
        var late = await keepAlive.RunAsync(CancellationToken.None);

        Assert.False(fresh!.Refreshed);
        Assert.False(fresh.ConsentExpiresSoon);
        Assert.True(idle!.Refreshed);
        Assert.Equal(time.GetUtcNow() - (RefreshTokenKeepAlive.ConsentLifetime - RefreshTokenKeepAlive.ConsentWarning - RefreshTokenKeepAlive.RefreshAfter), idle.LastRefreshedAt);
        Assert.True(late!.ConsentExpiresSoon);
        Assert.Equal(2, sim.Server.Rotations);
        Assert.Equal(0, sim.Server.ChainInvalidations);
    }
}
