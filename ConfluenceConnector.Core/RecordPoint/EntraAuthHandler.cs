using System.Net.Http.Headers;
using Azure.Core;
using ConfluenceConnector.Core.Configuration;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.RecordPoint;

/// <summary>
/// Adds an Entra ID bearer token (client credentials, scope <c>{Audience}/.default</c>) to Connector API calls.
/// Azure.Identity caches the token until shortly before it expires.
/// </summary>
public sealed class EntraAuthHandler(TokenCredential credential, IOptions<RecordPointOptions> options) : DelegatingHandler
{
    private readonly TokenRequestContext context = new([$"{options.Value.Audience!.TrimEnd('/')}/.default"]);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await credential.GetTokenAsync(context, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
