namespace ConfluenceConnector.Core.Confluence;

/// <summary>Adds the Authorization header from <see cref="IConfluenceAuthenticator"/> to every Confluence call.</summary>
public sealed class ConfluenceAuthHandler(IConfluenceAuthenticator authenticator) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = await authenticator.GetAuthorizationAsync(cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
