using ConfluenceConnector.Core;
using ConfluenceConnector.Core.Confluence.OAuth;
using ConfluenceConnector.Simulators.Confluence;
using ConfluenceConnector.Simulators.Confluence.OAuth;
using ConfluenceConnector.Simulators.Common;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ConfluenceConnector.Tests.Confluence.OAuth;

/// <summary>
/// The Confluence simulator (site, Atlassian authorisation server and gateway) and the connector's OAuth settings
/// pointing at it, with the token in a temporary file, exactly as the local runner keeps it.
/// </summary>
internal sealed class OAuthSimulatorFixture : IAsyncDisposable
{
    public const string CallbackUrl = "http://127.0.0.1:8765/callback";

    private readonly string directory = Directory.CreateTempSubdirectory("oauth-test-").FullName;

    private OAuthSimulatorFixture(ConfluenceSimulator confluence)
    {
        Confluence = confluence;
        Settings = new Dictionary<string, string?>
        {
            ["Confluence:Domain"] = confluence.Site.SiteName,
            ["Confluence:AuthMode"] = "OAuth",
            ["Confluence:ClientId"] = confluence.Options.OAuth.ClientId,
            ["Confluence:ClientSecret"] = confluence.Options.OAuth.ClientSecret,
            ["Confluence:CallbackUrl"] = CallbackUrl,
            ["Confluence:AuthorizationServerUrl"] = confluence.BaseUrl.ToString(),
            ["Confluence:ApiGatewayUrl"] = confluence.BaseUrl.ToString(),
            ["LocalTokenStore:Path"] = TokenPath,
        };
    }

    public ConfluenceSimulator Confluence { get; }

    public AtlassianAuthorizationServer Server => Confluence.AuthorizationServer;

    public Dictionary<string, string?> Settings { get; }

    public string TokenPath => Path.Combine(directory, "token.json");

    public static async Task<OAuthSimulatorFixture> StartAsync(Action<AtlassianOAuthSimulatorOptions>? configure = null, SiteSpec? spec = null, FaultProfile? faults = null)
    {
        var site = ConfluenceSiteGenerator.Generate(spec ?? new SiteSpec { Spaces = 2, PagesPerSpace = 3, SiteName = "acme" });
        var options = new ConfluenceSimulatorOptions { Faults = faults };
        configure?.Invoke(options.OAuth);
        return new OAuthSimulatorFixture(await ConfluenceSimulator.StartAsync(site, options));
    }

    /// <summary>The connector's services as <c>AddConfluenceConnector</c> registers them for these settings.</summary>
    public ServiceProvider Services(Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddConfluenceConnector(configuration);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>Begins the flow, lets the simulated administrator answer the consent page, and completes the callback.</summary>
    public async Task<AuthorizationOutcome> AuthorizeAsync(IServiceProvider services)
    {
        var flow = services.GetRequiredService<OAuthAuthorizationFlow>();
        var start = await flow.BeginAsync(CancellationToken.None);
        var callback = await FollowConsentAsync(start.AuthorizeUrl);
        return await flow.CompleteAsync(callback, start.Binding, CancellationToken.None);
    }

    /// <summary>What Atlassian's consent page redirects the browser to, read from the redirect's query.</summary>
    public static async Task<AuthorizationCallback> FollowConsentAsync(Uri authorizeUrl)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await browser.GetAsync(authorizeUrl);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(CallbackUrl, location.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        string? Get(string name) => query.TryGetValue(name, out var v) ? v.ToString() : null;
        return new AuthorizationCallback(Get("code"), Get("state"), Get("error"), Get("error_description"));
    }

    public async ValueTask DisposeAsync()
    {
        await Confluence.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }
}
