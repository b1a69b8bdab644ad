using System.Text.Json;

namespace ConfluenceConnector.Core.Confluence;

/// <summary>
/// Reads every successful JSON answer of the Confluence API whole and checks that it parses: a truncated or malformed
/// body becomes an <see cref="HttpRequestException"/>, which the retry pipeline retries like a dropped connection,
/// instead of failing the listing (or the whole batch) after the call has returned.
/// </summary>
public sealed class ConfluenceBodyCheckHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return response;
        }

        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
            return response;
        }
        catch (JsonException e)
        {
            response.Dispose();
            throw new HttpRequestException($"GET {request.RequestUri?.AbsolutePath} returned a truncated or malformed JSON body ({e.Message})", e, response.StatusCode);
        }
        catch (IOException e)
        {
            response.Dispose();
            throw new HttpRequestException($"GET {request.RequestUri?.AbsolutePath} broke off while its body was read ({e.Message})", e, response.StatusCode);
        }
    }
}
