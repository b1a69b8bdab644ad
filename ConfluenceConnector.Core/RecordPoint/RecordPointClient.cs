using System.Net;
using System.Text.Json;
using Azure;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ConfluenceConnector.Core.Configuration;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Refit;

namespace ConfluenceConnector.Core.RecordPoint;

/// <summary>What became of a submission that did not fail.</summary>
public enum SubmissionOutcome
{
    /// <summary>200/201/202/204: RecordPoint took it.</summary>
    Accepted,

    /// <summary>409: RecordPoint already holds this version; as good as accepted.</summary>
    AlreadySubmitted,

    /// <summary>A binary larger than RecordPoint's maxFileSize: not sent, recorded with the reason.</summary>
    SkippedTooLarge,
}

/// <summary>The bytes of one binary, reopenable so that a fallback path can send them again.</summary>
public sealed record BinaryContent(long Length, Func<CancellationToken, Task<Stream>> OpenAsync);

/// <summary>
/// Submits aggregations, items and binaries to RecordPoint and turns every answer into an outcome or a
/// <see cref="RecordPointException"/> whose <see cref="RecordPointFailureKind"/> says what to do next.
/// </summary>
public sealed class RecordPointClient(IRecordPointApi api, IHttpClientFactory httpClientFactory, IOptions<RecordPointOptions> options, TimeProvider timeProvider)
{
    /// <summary>HttpClient for Connector API calls (authenticated, resilient).</summary>
    public const string HttpClientName = "RecordPoint";

    /// <summary>HttpClient for SAS uploads to RecordPoint's storage: never carries an Authorization header.</summary>
    public const string StorageHttpClientName = "RecordPoint.Storage";

    /// <summary>Blob metadata RecordPoint reads from a SAS upload.</summary>
    public const string FileNameMetadata = "ItemBinary_FileName";

    /// <summary>Blob metadata RecordPoint reads from a SAS upload.</summary>
    public const string CorrelationIdMetadata = "ItemBinary_CorrelationId";

    /// <summary>
    /// Transient failures of the legacy streaming POST (408, 429, 5xx, a reset, a timeout): its body stream is spent, so
    /// the HTTP pipeline cannot send it again; this sends it again with its content reopened, with jittered backoff from
    /// <c>RecordPoint:Resilience:RetryBaseDelay</c>, <c>RecordPoint:Resilience:MaxRetries</c> times at most.
    /// </summary>
    private readonly ResiliencePipeline legacyRetries = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RecordPointException>(e => e.Kind == RecordPointFailureKind.Transient),
            MaxRetryAttempts = options.Value.Resilience.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.Value.Resilience.RetryBaseDelay,
            MaxDelay = options.Value.Resilience.MaxRetryDelay,
        })
        .Build();

    /// <summary>The connector instance as RecordPoint holds it (its Status switch above all).</summary>
    public async Task<ConnectorConfiguration> GetConnectorConfigurationAsync(string connectorId, CancellationToken cancellationToken)
    {
        using var response = await Call(() => api.GetConnectorConfigurationAsync(connectorId, cancellationToken), "GET api/ConnectorConfigurations", connectorId).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new RecordPointException($"RecordPoint knows no connector '{connectorId}': check RecordPoint:ConnectorId.", RecordPointFailureKind.Forbidden, response.StatusCode);
        }

        Classify(response, "GET api/ConnectorConfigurations", connectorId);
        return response.Content ?? throw new RecordPointException($"GET api/ConnectorConfigurations for {connectorId} returned no configuration.", RecordPointFailureKind.Transient, response.StatusCode);
    }

    /// <summary>The notifications RecordPoint holds for the connector.</summary>
    public async Task<IReadOnlyList<ConnectorNotification>> GetNotificationsAsync(string connectorId, CancellationToken cancellationToken)
    {
        using var response = await Call(() => api.GetNotificationsAsync(connectorId, cancellationToken), "GET api/Notifications", connectorId).ConfigureAwait(false);
        Classify(response, "GET api/Notifications", connectorId);
        return response.Content ?? [];
    }

    public async Task AcknowledgeNotificationAsync(NotificationAcknowledgement acknowledgement, CancellationToken cancellationToken)
    {
        using var response = await Call(() => api.AcknowledgeNotificationAsync(acknowledgement, cancellationToken), "POST api/Notifications", acknowledgement.NotificationId).ConfigureAwait(false);
        Classify(response, "POST api/Notifications", acknowledgement.NotificationId);
    }

    public async Task<SubmissionOutcome> SubmitAggregationAsync(AggregationSubmission aggregation, CancellationToken cancellationToken)
    {
        using var response = await Call(() => api.SubmitAggregationAsync(aggregation, cancellationToken), "POST api/Aggregations", aggregation.ExternalId).ConfigureAwait(false);
        return Classify(response, "POST api/Aggregations", aggregation.ExternalId);
    }

    public async Task<SubmissionOutcome> SubmitItemAsync(ItemSubmission item, CancellationToken cancellationToken)
    {
        using var response = await Call(() => api.SubmitItemAsync(item, cancellationToken), "POST api/Items", item.ExternalId).ConfigureAwait(false);
        return Classify(response, "POST api/Items", item.ExternalId);
    }

    /// <summary>
    /// Sends one binary: GetSASToken, upload to the returned URL with Azure.Storage.Blobs, NotifyBinarySubmission;
    /// when RecordPoint answers 405 to GetSASToken, the legacy streaming <c>POST api/Binaries</c> instead (retried on
    /// transient failures with its content reopened).
    /// </summary>
    public async Task<SubmissionOutcome> SubmitBinaryAsync(BinarySubmission binary, BinaryContent content, CancellationToken cancellationToken)
    {
        var what = $"{binary.ItemExternalId}/{binary.BinaryExternalId}";
        using var sas = await Call(() => api.GetSasTokenAsync(binary, cancellationToken), "POST api/Binaries/GetSASToken", what).ConfigureAwait(false);
        if (sas.StatusCode == HttpStatusCode.MethodNotAllowed)
        {
            return await SubmitLegacyAsync(binary, content, what, cancellationToken).ConfigureAwait(false);
        }

        if (IsTooLarge(sas))
        {
            return SubmissionOutcome.SkippedTooLarge;
        }

        var outcome = Classify(sas, "POST api/Binaries/GetSASToken", what);
        if (outcome != SubmissionOutcome.Accepted)
        {
            return outcome;
        }

        var target = sas.Content;
        if (string.IsNullOrEmpty(target?.Url) || !Uri.TryCreate(target.Url, UriKind.Absolute, out var uploadUrl))
        {
            throw new RecordPointException($"POST api/Binaries/GetSASToken for {what} returned no upload url.", RecordPointFailureKind.Transient, sas.StatusCode);
        }

        if (target.MaxFileSize is { } max && max > 0 && content.Length > max)
        {
            return SubmissionOutcome.SkippedTooLarge;
        }

        await UploadAsync(uploadUrl, binary, content, what, cancellationToken).ConfigureAwait(false);

        using var notify = await Call(() => api.NotifyBinarySubmissionAsync(binary, cancellationToken), "POST api/Binaries/NotifyBinarySubmission", what).ConfigureAwait(false);
        return Classify(notify, "POST api/Binaries/NotifyBinarySubmission", what);
    }

    private async Task UploadAsync(Uri uploadUrl, BinarySubmission binary, BinaryContent content, string what, CancellationToken cancellationToken)
    {
        var options = new BlobClientOptions
        {
            Transport = new HttpClientTransport(httpClientFactory.CreateClient(StorageHttpClientName)),
        };
        var blob = new BlobClient(uploadUrl, options);
        var metadata = new Dictionary<string, string>
        {
            [FileNameMetadata] = Uri.EscapeDataString(binary.FileName ?? binary.BinaryExternalId),
        };
        if (binary.CorrelationId is { } correlationId)
        {
            metadata[CorrelationIdMetadata] = correlationId;
        }

        try
        {
            await using var stream = await content.OpenAsync(cancellationToken).ConfigureAwait(false);
            await blob.UploadAsync(
                stream,
                new BlobUploadOptions
                {
                    Metadata = metadata,
                    HttpHeaders = new BlobHttpHeaders { ContentType = binary.MimeType ?? "application/octet-stream" },
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            var kind = e.Status is 408 or 429 or >= 500 or 0 ? RecordPointFailureKind.Transient : RecordPointFailureKind.Rejected;
            throw new RecordPointException($"Upload of binary {what} to RecordPoint storage answered {e.Status} {e.ErrorCode}.", kind, (HttpStatusCode)e.Status, e);
        }
    }

    private Task<SubmissionOutcome> SubmitLegacyAsync(BinarySubmission binary, BinaryContent content, string what, CancellationToken cancellationToken) =>
        legacyRetries.ExecuteAsync(ct => new ValueTask<SubmissionOutcome>(SendLegacyAsync(binary, content, what, ct)), cancellationToken).AsTask();

    /// <summary>One attempt of the legacy streaming POST, with the content opened afresh.</summary>
    private async Task<SubmissionOutcome> SendLegacyAsync(BinarySubmission binary, BinaryContent content, string what, CancellationToken cancellationToken)
    {
        var query = new LegacyBinaryQuery
        {
            ConnectorId = binary.ConnectorId,
            ItemExternalId = binary.ItemExternalId,
            BinaryExternalId = binary.BinaryExternalId,
            FileName = binary.FileName,
            Location = binary.Location,
            CorrelationId = binary.CorrelationId,
            ItemSourceLastModifiedDate = binary.ItemSourceLastModifiedDate,
        };
        await using var stream = await content.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var body = new StreamContent(stream);
        body.Headers.ContentType = new("application/octet-stream");
        body.Headers.ContentLength = content.Length;
        using var response = await Call(() => api.SubmitBinaryStreamAsync(query, body, cancellationToken), "POST api/Binaries", what).ConfigureAwait(false);
        return IsTooLarge(response) ? SubmissionOutcome.SkippedTooLarge : Classify(response, "POST api/Binaries", what);
    }

    private static async Task<T> Call<T>(Func<Task<T>> call, string request, string what)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new RecordPointException($"{request} for {what} got no answer: {e.Message}", RecordPointFailureKind.Transient, e.StatusCode, e);
        }
        catch (TimeoutException e)
        {
            throw new RecordPointException($"{request} for {what} timed out.", RecordPointFailureKind.Transient, null, e);
        }
    }

    /// <summary>Maps a Connector API answer to an outcome, or throws what it means (notes/recordpoint-connector-api.md).</summary>
    internal static SubmissionOutcome Classify(IApiResponse response, string request, string what)
    {
        var status = response.StatusCode ?? 0;
        if (response.IsSuccessStatusCode)
        {
            return SubmissionOutcome.Accepted;
        }

        if (status == HttpStatusCode.Conflict)
        {
            return SubmissionOutcome.AlreadySubmitted;
        }

        var error = ReadError(response);
        var message = $"{request} for {what} answered {(int)status}{(error?.MessageCode is { } code ? " " + code : string.Empty)}: {error?.Message ?? response.ReasonPhrase}";
        var kind = status switch
        {
            HttpStatusCode.BadRequest when string.Equals(error?.MessageCode, "ConnectorNotEnabled", StringComparison.OrdinalIgnoreCase) => RecordPointFailureKind.ConnectorNotEnabled,
            HttpStatusCode.BadRequest when string.Equals(error?.MessageCode, "ProtectionNotEnabled", StringComparison.OrdinalIgnoreCase) => RecordPointFailureKind.ProtectionNotEnabled,
            HttpStatusCode.BadRequest => RecordPointFailureKind.Rejected,
            HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized => RecordPointFailureKind.Forbidden,
            HttpStatusCode.PreconditionFailed => RecordPointFailureKind.Deferred,
            0 or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError => RecordPointFailureKind.Transient,
            _ => RecordPointFailureKind.Rejected,
        };
        throw new RecordPointException(message, kind, status, response.Error);
    }

    /// <summary>400 FileTooLarge: the declared size is above RecordPoint's maxFileSize.</summary>
    private static bool IsTooLarge(IApiResponse response) =>
        response.StatusCode == HttpStatusCode.BadRequest && string.Equals(ReadError(response)?.MessageCode, "FileTooLarge", StringComparison.OrdinalIgnoreCase);

    private static ErrorDetail? ReadError(IApiResponse response)
    {
        if (response.Error is not ApiException { Content: { Length: > 0 } content })
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ErrorResponse>(content, JsonOptions)?.Error;
        }
        catch (JsonException)
        {
            return new ErrorDetail(content.Length <= 300 ? content : content[..300], null, null);
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
