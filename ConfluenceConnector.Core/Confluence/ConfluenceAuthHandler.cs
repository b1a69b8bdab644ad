using System.Net;
using ConfluenceConnector.Core.Confluence.OAuth;

namespace ConfluenceConnector.Core.Confluence;

/// <summary>
/// Adds the Authorization header from <see cref="IConfluenceAuthenticator"/> to every Confluence call. With OAuth, a
/// 401 to a bodiless request (an access token that died before its announced expiry) is retried once with a fresh token.
/// </summary>
public sealed class ConfluenceAuthHandler(IConfluenceAuthenticator authenticator) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var authorization = await authenticator.GetAuthorizationAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = authorization;
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || request.Content is not null || authenticator is not OAuthConfluenceAuthenticator oauth)
        {
            return response;
        }

        response.Dispose();
        oauth.ForgetAccessToken(authorization);
        request.Headers.Authorization = await authenticator.GetAuthorizationAsync(cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
