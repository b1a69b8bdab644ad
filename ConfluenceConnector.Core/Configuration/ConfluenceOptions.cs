using ConfluenceConnector.Core.Http;

namespace ConfluenceConnector.Core.Configuration;

/// <summary>How the connector authenticates to Confluence Cloud.</summary>
public enum ConfluenceAuthMode
{
    /// <summary>Atlassian account e-mail + API token. Development and testing only.</summary>
    Basic,

    /// <summary>OAuth 2.0 (3LO) with the customer's own Atlassian app; every call goes through the api.atlassian.com gateway.</summary>
    OAuth,
}

/// <summary>Settings under <c>Confluence:</c>.</summary>
public sealed class ConfluenceOptions
{
    public const string SectionName = "Confluence";

    /// <summary>The site's subdomain only, e.g. <c>yourcompany</c> for yourcompany.atlassian.net.</summary>
    public string? Domain { get; set; }

    public ConfluenceAuthMode AuthMode { get; set; } = ConfluenceAuthMode.Basic;

    /// <summary>Atlassian account e-mail for Basic auth.</summary>
    public string? Email { get; set; }

    /// <summary>API token for Basic auth. A secret: never logged.</summary>
    public string? ApiToken { get; set; }

    /// <summary>OAuth 2.0 client id of the customer's Atlassian app.</summary>
    public string? ClientId { get; set; }

    /// <summary>OAuth 2.0 client secret. A secret: never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// The OAuth callback URL registered in the Atlassian developer console: <c>https://{app}/api/oauth/callback</c>
    /// in Azure, a loopback URL such as <c>http://127.0.0.1:8765/callback</c> for the local runner.
    /// </summary>
    public Uri? CallbackUrl { get; set; }

    /// <summary>Atlassian's authorisation server (authorise and token endpoints).</summary>
    public Uri AuthorizationServerUrl { get; set; } = new("https://auth.atlassian.com");

    /// <summary>Atlassian's API gateway: accessible-resources, /me and <c>/ex/confluence/{cloudId}</c>.</summary>
    public Uri ApiGatewayUrl { get; set; } = new("https://api.atlassian.com");

    public SpaceFilterOptions SpaceFilter { get; set; } = new();

    /// <summary>Retries of Confluence calls (429, 5xx, timeouts, dropped connections) and the longest wait honoured inside a call.</summary>
    public HttpResilienceOptions Resilience { get; set; } = new();

    /// <summary>
    /// Spend the rate-limit quota evenly over its window (from the X-RateLimit-* / RateLimit headers), so that a long
    /// sync never meets the hard stop. No effect until Confluence reports a quota (Basic auth has burst limits only).
    /// </summary>
    public bool Pacing { get; set; } = true;

    /// <summary>
    /// Optional override of the root under which <c>/wiki/...</c> lives (e.g. a local simulator).
    /// Without it the root is derived from <see cref="Domain"/>: <c>https://{Domain}.atlassian.net</c>.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The site root under which <c>/wiki/...</c> lives.</summary>
    public Uri SiteRoot => BaseUrl ?? new Uri($"https://{Domain}.atlassian.net");
}

/// <summary>Settings under <c>Confluence:SpaceFilter:</c>. Keys are Space keys; Exclude wins over Include.</summary>
public sealed class SpaceFilterOptions
{
    /// <summary>Space keys to sync; empty means every space.</summary>
    public List<string> Include { get; set; } = [];

    /// <summary>Space keys never to sync, even when listed in <see cref="Include"/>.</summary>
    public List<string> Exclude { get; set; } = [];
}
