using System.Net;

namespace ConfluenceConnector.Core.Confluence;

/// <summary>
/// Opens an attachment's bytes as a stream: the v1 download endpoint (authenticated, redirects NOT followed) answers
/// 302 to the media host, whose URL carries its own short-lived token; that URL is fetched by a client that sends no
/// Authorization header. Every call asks for a fresh redirect, and nothing is buffered: the caller reads the media
/// response as it arrives and disposing the stream releases the connection.
/// </summary>
public sealed class AttachmentDownloader(IHttpClientFactory httpClientFactory)
{
    /// <summary>Authenticated Confluence client that does not follow redirects (it must see the 302).</summary>
    public const string DownloadHttpClientName = "Confluence.Download";

    /// <summary>Client for the media host: no Authorization header, ever.</summary>
    public const string MediaHttpClientName = "Confluence.Media";

    /// <summary>Opens the current version of <paramref name="attachment"/> of <paramref name="containerId"/>.</summary>
    public async Task<Stream> OpenAsync(string containerId, Attachment attachment, CancellationToken cancellationToken)
    {
        var path = $"/wiki/rest/api/content/{Uri.EscapeDataString(containerId)}/child/attachment/{Uri.EscapeDataString(attachment.Id)}/download";
        var confluence = httpClientFactory.CreateClient(DownloadHttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, ConfluenceClient.ResolveNextLink(confluence.BaseAddress!, path));
        var response = await SendAsync(confluence, request, path, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return await OpenBodyAsync(response, cancellationToken).ConfigureAwait(false);
        }

        using (response)
        {
            if (response.StatusCode is not (HttpStatusCode.Found or HttpStatusCode.MovedPermanently or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect)
                || response.Headers.Location is not { } location)
            {
                throw new ConfluenceApiException($"GET {path} answered {(int)response.StatusCode} {response.ReasonPhrase} instead of a redirect to the media host.", response.StatusCode);
            }

            ConfluenceUsage.CountObjects(1);
            var mediaUrl = location.IsAbsoluteUri ? location : new Uri(confluence.BaseAddress!, location);
            var media = httpClientFactory.CreateClient(MediaHttpClientName);
            using var mediaRequest = new HttpRequestMessage(HttpMethod.Get, mediaUrl);
            var mediaResponse = await SendAsync(media, mediaRequest, $"media download of attachment {attachment.Id}", cancellationToken).ConfigureAwait(false);
            if (!mediaResponse.IsSuccessStatusCode)
            {
                using (mediaResponse)
                {
                    throw new ConfluenceApiException($"Media download of attachment {attachment.Id} answered {(int)mediaResponse.StatusCode} {mediaResponse.ReasonPhrase}.", mediaResponse.StatusCode);
                }
            }

            return await OpenBodyAsync(mediaResponse, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            // The media URL carries a token: never put it in a message.
            throw new ConfluenceApiException($"{what} failed: {e.HttpRequestError}", e.StatusCode, e);
        }
    }

    private static async Task<Stream> OpenBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return new ResponseStream(body, response);
    }

    /// <summary>The body of a response that owns the response: disposing it releases the connection.</summary>
    private sealed class ResponseStream(Stream inner, HttpResponseMessage response) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
