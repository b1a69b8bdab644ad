using System.Buffers;
using System.Net;
using ConfluenceConnector.Core.Configuration;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Confluence;

/// <summary>
/// Opens an attachment's bytes as a stream: the v1 download endpoint (authenticated, redirects NOT followed) answers
/// 302 to the media host, whose URL carries its own short-lived, single-use token; that URL is fetched by a client that
/// sends no Authorization header. Nothing is buffered: the caller reads the media response as it arrives and disposing
/// the stream releases the connection. A transient failure of the download (the v1 endpoint answering anything but a
/// redirect, e.g. an error body with 200; the media host answering 5xx, 408, 429, 401 or 403, a reset, a timeout; the
/// body breaking off while it is read) asks for a FRESH redirect and tries again, <see cref="MaxAttempts"/> times in
/// all with jittered backoff; a body that broke off resumes where it stopped (the bytes already read are skipped).
/// </summary>
public sealed class AttachmentDownloader(IHttpClientFactory httpClientFactory, IOptions<ConfluenceOptions> options, TimeProvider timeProvider)
{
    /// <summary>Authenticated Confluence client that does not follow redirects (it must see the 302).</summary>
    public const string DownloadHttpClientName = "Confluence.Download";

    /// <summary>Client for the media host: no Authorization header, ever.</summary>
    public const string MediaHttpClientName = "Confluence.Media";

    /// <summary>Attempts of one download (each with a fresh redirect), breaks of the body included.</summary>
    public const int MaxAttempts = 4;

    /// <summary>Opens the current version of <paramref name="attachment"/> of <paramref name="containerId"/>.</summary>
    public async Task<Stream> OpenAsync(string containerId, Attachment attachment, CancellationToken cancellationToken)
    {
        var download = new Download(this, containerId, attachment);
        await download.StartAsync(cancellationToken).ConfigureAwait(false);
        return download;
    }

    /// <summary>
    /// Asks for a fresh redirect and opens the media response, retrying transient failures of either step; returns the
    /// response and the number of attempts spent so far (<paramref name="attemptsUsed"/> before this call).
    /// </summary>
    private async Task<(HttpResponseMessage Response, int Attempts)> OpenMediaAsync(string containerId, Attachment attachment, int attemptsUsed, CancellationToken cancellationToken)
    {
        for (var attempt = attemptsUsed + 1; ; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(Backoff(attempt - 1), timeProvider, cancellationToken).ConfigureAwait(false);
            }

            var (response, failure) = await TryOpenMediaAsync(containerId, attachment, cancellationToken).ConfigureAwait(false);
            if (response is not null)
            {
                return (response, attempt);
            }

            if (attempt >= MaxAttempts)
            {
                throw new ConfluenceApiException($"{failure!.Message} (download attempt {attempt} of {MaxAttempts})", failure.StatusCode, failure.InnerException);
            }
        }
    }

    /// <summary>The media response, or the transient failure to retry with a fresh redirect; a permanent failure throws.</summary>
    private async Task<(HttpResponseMessage? Response, ConfluenceApiException? Transient)> TryOpenMediaAsync(string containerId, Attachment attachment, CancellationToken cancellationToken)
    {
        var path = $"/wiki/rest/api/content/{Uri.EscapeDataString(containerId)}/child/attachment/{Uri.EscapeDataString(attachment.Id)}/download";
        var confluence = httpClientFactory.CreateClient(DownloadHttpClientName);
        Uri mediaUrl;
        using (var request = new HttpRequestMessage(HttpMethod.Get, ConfluenceClient.ResolveNextLink(confluence.BaseAddress!, path)))
        using (var response = await SendAsync(confluence, request, $"GET {path}", cancellationToken).ConfigureAwait(false))
        {
            if (response.IsSuccessStatusCode)
            {
                // Confluence always redirects: a 2xx body here is an error page or a broken answer, never the file.
                return (null, new ConfluenceApiException($"GET {path} answered {(int)response.StatusCode} with a {response.Content.Headers.ContentType?.MediaType ?? "body"} instead of a redirect to the media host.", response.StatusCode));
            }

            if (response.StatusCode is not (HttpStatusCode.Found or HttpStatusCode.MovedPermanently or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect)
                || response.Headers.Location is not { } location)
            {
                throw new ConfluenceApiException($"GET {path} answered {(int)response.StatusCode} {response.ReasonPhrase} instead of a redirect to the media host.", response.StatusCode);
            }

            ConfluenceUsage.CountObjects(1);
            mediaUrl = location.IsAbsoluteUri ? location : new Uri(confluence.BaseAddress!, location);
        }

        var what = $"Media download of attachment {attachment.Id}";
        var media = httpClientFactory.CreateClient(MediaHttpClientName);
        using var mediaRequest = new HttpRequestMessage(HttpMethod.Get, mediaUrl);
        HttpResponseMessage mediaResponse;
        try
        {
            mediaResponse = await SendAsync(media, mediaRequest, what, cancellationToken).ConfigureAwait(false);
        }
        catch (ConfluenceApiException e)
        {
            return (null, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new ConfluenceApiException($"{what} timed out.", null, e));
        }

        if (mediaResponse.IsSuccessStatusCode)
        {
            return (mediaResponse, null);
        }

        using (mediaResponse)
        {
            var failure = new ConfluenceApiException($"{what} answered {(int)mediaResponse.StatusCode} {mediaResponse.ReasonPhrase}.", mediaResponse.StatusCode);
            return mediaResponse.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or >= HttpStatusCode.InternalServerError
                ? (null, failure)
                : throw failure;
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var settings = options.Value.Resilience;
        var delay = settings.RetryBaseDelay * Math.Pow(2, attempt - 1) * (0.7 + (0.6 * Random.Shared.NextDouble()));
        return delay < settings.MaxRetryDelay ? delay : settings.MaxRetryDelay;
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

    /// <summary>
    /// The body of the media response, owning the response. When the body breaks off (a reset, or fewer bytes than its
    /// Content-Length), it opens a fresh download, skips the bytes already read and goes on: the reader sees one whole
    /// stream or a <see cref="ConfluenceApiException"/> once <see cref="MaxAttempts"/> are spent.
    /// </summary>
    private sealed class Download(AttachmentDownloader owner, string containerId, Attachment attachment) : Stream
    {
        private HttpResponseMessage? response;
        private Stream? body;
        private long? length;
        private long position;
        private int attempts;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public Task StartAsync(CancellationToken cancellationToken) => OpenAsync(null, cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
            try
            {
                var read = ReadAsync(rented.AsMemory(0, buffer.Length), CancellationToken.None).AsTask().GetAwaiter().GetResult();
                rented.AsSpan(0, read).CopyTo(buffer);
                return read;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (true)
            {
                Exception? broke;
                try
                {
                    var read = await body!.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                    position += read;
                    if (read > 0 || buffer.IsEmpty || length is null || position >= length)
                    {
                        return read;
                    }

                    broke = new IOException($"the body ended after {position} of {length} bytes");
                }
                catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    broke = e;
                }

                await OpenAsync(broke, cancellationToken).ConfigureAwait(false);
            }
        }

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
                Release();
            }

            base.Dispose(disposing);
        }

        /// <summary>Opens the first download, or after <paramref name="broke"/> a fresh one positioned where the last stopped.</summary>
        private async Task OpenAsync(Exception? broke, CancellationToken cancellationToken)
        {
            while (true)
            {
                Release();
                if (broke is not null && attempts >= MaxAttempts)
                {
                    throw new ConfluenceApiException($"Media download of attachment {attachment.Id} broke off after {position} bytes ({broke.Message}) (download attempt {attempts} of {MaxAttempts})", null, broke);
                }

                (response, attempts) = await owner.OpenMediaAsync(containerId, attachment, attempts, cancellationToken).ConfigureAwait(false);
                var declared = response.Content.Headers.ContentLength;
                if (broke is not null && declared != length)
                {
                    throw new ConfluenceApiException($"Media download of attachment {attachment.Id} broke off after {position} bytes and the file changed ({length} bytes, now {declared}).", null, broke);
                }

                length = declared;
                body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await SkipAsync(position, cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    broke = e;
                }
            }
        }

        /// <summary>Reads and drops the first <paramref name="count"/> bytes of the body (those the reader already has).</summary>
        private async Task SkipAsync(long count, CancellationToken cancellationToken)
        {
            var scratch = new byte[81920];
            while (count > 0)
            {
                var read = await body!.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, count)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException($"the body ended before the {position} bytes already read");
                }

                count -= read;
            }
        }

        private void Release()
        {
            body?.Dispose();
            response?.Dispose();
            body = null;
            response = null;
        }
    }
}
