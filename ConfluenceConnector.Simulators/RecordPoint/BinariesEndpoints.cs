using System.Globalization;
using ConfluenceConnector.Simulators.Common;

namespace ConfluenceConnector.Simulators.RecordPoint;

/// <summary>POST api/Binaries/GetSASToken, api/Binaries/NotifyBinarySubmission and the legacy streaming POST api/Binaries.</summary>
internal static class BinariesEndpoints
{
    public static void Map(WebApplication app, RecordPointApi api)
    {
        app.MapPost(RecordPointApi.Prefix + "/Binaries/GetSASToken", api.Handle(http => GetSasToken(http, api)));
        app.MapPost(RecordPointApi.Prefix + "/Binaries/NotifyBinarySubmission", api.Handle(http => Notify(http, api)));
        app.MapPost(RecordPointApi.Prefix + "/Binaries", api.Handle(http => PostLegacy(http, api)));
    }

    private static async Task GetSasToken(HttpContext http, RecordPointApi api)
    {
        var input = await RecordPointApi.ReadJsonAsync<BinaryInput>(http);
        var (connectorId, itemExternalId, binaryExternalId) = ReadKey(input);
        api.EnsureConnectorEnabled();
        if (api.Options.LegacyBinaryPathOnly)
        {
            throw new ApiException(405, "DirectBinarySubmissionNotSupported", "Direct binary submission is not available: use POST api/Binaries.");
        }

        EnsureItem(api, connectorId, itemExternalId);
        if (input.FileSize > api.Options.MaxFileSize)
        {
            throw TooLarge(api, input.FileSize.Value);
        }

        var grant = api.Blobs.Issue(http.Request, connectorId, itemExternalId, binaryExternalId);
        await RecordPointApi.WriteAsync(http, new DirectBinarySubmissionResponseModel(grant.Url, api.Options.MaxFileSize), 202);
    }

    private static async Task Notify(HttpContext http, RecordPointApi api)
    {
        var input = await RecordPointApi.ReadJsonAsync<BinaryInput>(http);
        var (connectorId, itemExternalId, binaryExternalId) = ReadKey(input);
        var sourceModified = RecordPointApi.OptionalDate(input.SourceLastModifiedDate, "sourceLastModifiedDate");
        var itemModified = RecordPointApi.OptionalDate(input.ItemSourceLastModifiedDate, "itemSourceLastModifiedDate");
        api.EnsureConnectorEnabled();
        EnsureItem(api, connectorId, itemExternalId);

        var blob = api.Blobs.FindUploaded(connectorId, itemExternalId, binaryExternalId)
            ?? throw new ApiException(400, "BinaryNotUploaded", $"No blob was uploaded at the SAS url issued for item '{itemExternalId}', binary '{binaryExternalId}'.", "binaryExternalId");
        if (blob.Content.LongLength > api.Options.MaxFileSize)
        {
            throw TooLarge(api, blob.Content.LongLength);
        }

        var version = new BinaryVersion
        {
            ConnectorId = connectorId,
            ItemExternalId = itemExternalId,
            BinaryExternalId = binaryExternalId,
            FileName = input.FileName ?? blob.Metadata.GetValueOrDefault("ItemBinary_FileName"),
            MimeType = input.MimeType ?? blob.ContentType,
            FileSize = blob.Content.LongLength,
            FileHash = input.FileHash,
            SourceLastModifiedDate = sourceModified,
            ItemSourceLastModifiedDate = itemModified,
            CorrelationId = input.CorrelationId ?? blob.Metadata.GetValueOrDefault("ItemBinary_CorrelationId"),
            Location = input.Location,
            Content = api.Options.KeepBinaryContent ? blob.Content : [],
            Metadata = blob.Metadata,
            SubmittedVia = "SAS",
            ReceivedAt = DateTimeOffset.UtcNow,
        };
        if (!api.Store.TryAddBinary(version))
        {
            throw Conflict(binaryExternalId);
        }

        if (!api.Options.KeepBinaryContent)
        {
            api.Blobs.Drop(connectorId, itemExternalId, binaryExternalId);
        }

        await RecordPointApi.WriteAsync(http, null);
    }

    private static async Task PostLegacy(HttpContext http, RecordPointApi api)
    {
        var q = http.Request.Query;
        var connectorId = RecordPointApi.Required(q["ConnectorId"], "connectorId");
        var itemExternalId = RecordPointApi.Required(q["ItemExternalId"], "itemExternalId");
        var binaryExternalId = RecordPointApi.Required(q["BinaryExternalId"], "binaryExternalId");
        var itemModified = RecordPointApi.OptionalDate(q["ItemSourceLastModifiedDate"], "itemSourceLastModifiedDate");
        api.EnsureConnectorEnabled();
        EnsureItem(api, connectorId, itemExternalId);

        var max = api.Options.MaxFileSize;
        if (http.Request.ContentLength > max)
        {
            throw TooLarge(api, http.Request.ContentLength.Value);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw TooLarge(api, buffer.Length + read);
            }

            buffer.Write(chunk, 0, read);
        }

        var content = buffer.ToArray();
        var contentType = http.Request.ContentType;
        var version = new BinaryVersion
        {
            ConnectorId = connectorId,
            ItemExternalId = itemExternalId,
            BinaryExternalId = binaryExternalId,
            FileName = NullIfEmpty(q["FileName"]),
            MimeType = string.IsNullOrEmpty(contentType) ? null : contentType,
            FileSize = content.LongLength,
            ItemSourceLastModifiedDate = itemModified,
            CorrelationId = NullIfEmpty(q["CorrelationId"]),
            Location = NullIfEmpty(q["Location"]),
            Content = api.Options.KeepBinaryContent ? content : [],
            SubmittedVia = "Legacy",
            ReceivedAt = DateTimeOffset.UtcNow,
        };
        if (!api.Store.TryAddBinary(version))
        {
            throw Conflict(binaryExternalId);
        }

        await RecordPointApi.WriteAsync(http, null);
    }

    private static (string ConnectorId, string ItemExternalId, string BinaryExternalId) ReadKey(BinaryInput input) => (
        RecordPointApi.Required(input.ConnectorId, "connectorId"),
        RecordPointApi.Required(input.ItemExternalId, "itemExternalId"),
        RecordPointApi.Required(input.BinaryExternalId, "binaryExternalId"));

    private static void EnsureItem(RecordPointApi api, string connectorId, string itemExternalId)
    {
        if (!api.Store.ItemExists(connectorId, itemExternalId))
        {
            throw new ApiException(412, "ItemNotFound", $"Item '{itemExternalId}' has not been submitted (or not processed) yet.", "itemExternalId");
        }
    }

    private static ApiException TooLarge(RecordPointApi api, long size) =>
        new(400, "FileTooLarge", string.Create(CultureInfo.InvariantCulture, $"The file ({size} bytes) exceeds the maximum file size of {api.Options.MaxFileSize} bytes."), "fileSize");

    private static ApiException Conflict(string binaryExternalId) =>
        new(409, "AlreadyExists", $"Binary '{binaryExternalId}' of this item version was already submitted.", "binaryExternalId");

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
