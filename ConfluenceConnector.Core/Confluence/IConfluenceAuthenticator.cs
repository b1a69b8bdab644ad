using System.Net.Http.Headers;

namespace ConfluenceConnector.Core.Confluence;

/// <summary>
/// The one seam for Confluence authentication: where API calls go (the site for Basic auth, the
/// api.atlassian.com gateway for OAuth) and the Authorization header each call carries.
/// </summary>
public interface IConfluenceAuthenticator
{
    /// <summary>The root under which <c>/wiki/...</c> lives for API calls.</summary>
    Uri ApiRoot { get; }

    /// <summary>The Authorization header value for the next call.</summary>
    ValueTask<AuthenticationHeaderValue> GetAuthorizationAsync(CancellationToken cancellationToken);
}
