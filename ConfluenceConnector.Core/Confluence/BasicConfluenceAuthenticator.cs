using System.Net.Http.Headers;
using System.Text;
using ConfluenceConnector.Core.Configuration;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Confluence;

/// <summary>Basic auth with an Atlassian account e-mail and API token, straight to the site (development only).</summary>
public sealed class BasicConfluenceAuthenticator(IOptions<ConfluenceOptions> options) : IConfluenceAuthenticator
{
    private readonly AuthenticationHeaderValue header = new(
        "Basic",
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Value.Email}:{options.Value.ApiToken}")));

    public Uri ApiRoot { get; } = options.Value.SiteRoot;

    public ValueTask<AuthenticationHeaderValue> GetAuthorizationAsync(CancellationToken cancellationToken) => ValueTask.FromResult(header);
}
