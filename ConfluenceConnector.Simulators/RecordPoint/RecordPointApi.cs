using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConfluenceConnector.Simulators.Common;

namespace ConfluenceConnector.Simulators.RecordPoint;

/// <summary>Shared plumbing of the RecordPoint endpoints: JSON in/out, ErrorResponseModel, validation.</summary>
internal sealed class RecordPointApi(RecordPointStore store, RecordPointSimulatorOptions options, SimBlobStorage blobs)
{
    public const string Prefix = "/connector/api";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public RecordPointStore Store { get; } = store;

    public RecordPointSimulatorOptions Options { get; } = options;

    public SimBlobStorage Blobs { get; } = blobs;

    /// <summary>Runs a handler, turning <see cref="ApiException"/> into an ErrorResponseModel and counting 400/409/412.</summary>
    public RequestDelegate Handle(Func<HttpContext, Task> handler) => async http =>
    {
        try
        {
            await handler(http);
        }
        catch (ApiException ex) when (!http.Response.HasStarted)
        {
            await SimulatorHost.DrainAsync(http);
            Store.CountAnswer(ex.StatusCode);
            await WriteErrorAsync(http, ex.StatusCode, ex.Code, ex.Message, ex.Target);
        }
    };

    public static Task WriteAsync(HttpContext http, object? body, int status = 200)
    {
        http.Response.StatusCode = status;
        if (body is null)
        {
            return Task.CompletedTask;
        }

        http.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(http.Response.Body, body, body.GetType(), Json, http.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext http, int status, string messageCode, string message, string? target = null)
    {
        var type = messageCode == "Validation" ? "Validation" : "General";
        return WriteAsync(http, new ErrorResponseModel(new ErrorModel(type, message, messageCode, "Error", DateTimeOffset.UtcNow, target)), status);
    }

    public static async Task<T> ReadJsonAsync<T>(HttpContext http)
        where T : class
    {
        var contentType = http.Request.ContentType;
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var media) || !IsJson(media.MediaType))
        {
            throw new ApiException(415, "UnsupportedMediaType", $"Unsupported content type '{contentType}'.");
        }

        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, Json, http.RequestAborted)
                ?? throw Validation("body", "A non-empty request body is required.");
        }
        catch (JsonException ex)
        {
            throw Validation(ex.Path ?? "body", "The request body is not valid JSON: " + ex.Message);
        }
    }

    public void EnsureConnectorEnabled()
    {
        var status = Store.ConnectorStatus;
        if (!string.Equals(status, "Enabled", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiException(400, "ConnectorNotEnabled", $"The connector is not enabled (status: {status}).");
        }
    }

    public static ApiException Validation(string field, string? message = null) =>
        new(400, "Validation", message ?? $"{field} is required", field);

    public static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw Validation(field) : value;

    public static DateTimeOffset RequiredDate(string? value, string field) =>
        OptionalDate(value, field) ?? throw Validation(field);

    public static DateTimeOffset? OptionalDate(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            throw Validation(field, $"{field} is not a valid date");
        }

        return date == default || date.UtcDateTime == DateTime.MinValue ? throw Validation(field) : date;
    }

    public static IReadOnlyList<StoredProperty> Properties(List<SubmissionMetaDataInput>? input)
    {
        if (input is null)
        {
            return [];
        }

        var result = new List<StoredProperty>(input.Count);
        for (var i = 0; i < input.Count; i++)
        {
            var p = input[i] ?? throw Validation($"sourceProperties[{i}]");
            var name = Required(p.Name, $"sourceProperties[{i}].name");
            string? value = p.Value switch
            {
                null => null,
                { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
                { ValueKind: JsonValueKind.String } v => v.GetString(),
                { } v => v.GetRawText(),
            };
            result.Add(new StoredProperty(name, p.DisplayName, p.Type, value));
        }

        return result;
    }

    private static bool IsJson(string? mediaType) =>
        mediaType is not null
        && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));
}

internal sealed record ErrorResponseModel(ErrorModel Error);

internal sealed record ErrorModel(string Type, string Message, string MessageCode, string Severity, DateTimeOffset DateTime, string? Target);

internal sealed record ItemAcceptanceModel(string ExternalId, DateTimeOffset SourceLastModifiedDate, string AggregationStatus);

internal sealed record DirectBinarySubmissionResponseModel(string Url, long MaxFileSize);
