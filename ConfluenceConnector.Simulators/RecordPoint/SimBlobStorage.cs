using System.Collections.Concurrent;
using System.Globalization;
using System.Security;
using System.Security.Cryptography;
using System.Xml.Linq;

namespace ConfluenceConnector.Simulators.RecordPoint;

/// <summary>
/// A tiny Azure Blob Storage (path-style, like Azurite: /{account}/{container}/{blob}) serving the SAS urls
/// that GetSASToken hands out: Put Blob, Put Block, Put Block List, Set Blob Metadata/Properties, Get Blob (Properties), Delete Blob.
/// </summary>
internal sealed class SimBlobStorage
{
    public const string Account = "simstorage";
    public const string Container = "binaries";
    public const string ServiceVersion = "2024-08-04";

    private readonly ConcurrentDictionary<string, SasGrant> _grants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, string, string), string> _latestGrant = new();
    private readonly ConcurrentDictionary<string, BlobEntry> _blobs = new(StringComparer.Ordinal);
    private long _etagCounter = DateTime.UtcNow.Ticks;

    public SasGrant Issue(HttpRequest request, string connectorId, string itemExternalId, string binaryExternalId)
    {
        var name = Guid.NewGuid().ToString("D");
        var sig = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var expiry = DateTimeOffset.UtcNow.AddHours(1);
        var se = expiry.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var url = $"{request.Scheme}://{request.Host.Value}/{Account}/{Container}/{name}?sv={ServiceVersion}&se={Uri.EscapeDataString(se)}&sr=b&sp=cw&sig={Uri.EscapeDataString(sig)}";
        var grant = new SasGrant(name, sig, expiry, connectorId, itemExternalId, binaryExternalId, url);
        _grants[name] = grant;
        _latestGrant[(connectorId, itemExternalId, binaryExternalId)] = name;
        return grant;
    }

    /// <summary>The committed blob at the latest SAS url issued for this binary, or null.</summary>
    public UploadedBlob? FindUploaded(string connectorId, string itemExternalId, string binaryExternalId)
    {
        if (!_latestGrant.TryGetValue((connectorId, itemExternalId, binaryExternalId), out var name) || !_blobs.TryGetValue(name, out var blob))
        {
            return null;
        }

        lock (blob)
        {
            return blob.Committed is null
                ? null
                : new UploadedBlob(blob.Committed, new Dictionary<string, string>(blob.Metadata, StringComparer.OrdinalIgnoreCase), blob.ContentType);
        }
    }

    /// <summary>Forgets the blob (and its grant) at the latest SAS url issued for this binary.</summary>
    public void Drop(string connectorId, string itemExternalId, string binaryExternalId)
    {
        if (_latestGrant.TryRemove((connectorId, itemExternalId, binaryExternalId), out var name))
        {
            _blobs.TryRemove(name, out _);
            _grants.TryRemove(name, out _);
        }
    }

    public void Map(WebApplication app)
    {
        app.MapMethods($"/{Account}/{Container}/{{blobName}}", ["PUT", "HEAD", "GET", "DELETE"], (RequestDelegate)HandleAsync);
    }

    private async Task HandleAsync(HttpContext http)
    {
        var name = (string)http.Request.RouteValues["blobName"]!;
        var requestId = Guid.NewGuid().ToString("D");
        var h = http.Response.Headers;
        h["x-ms-request-id"] = requestId;
        h["x-ms-version"] = http.Request.Headers["x-ms-version"].FirstOrDefault() ?? ServiceVersion;

        if (!_grants.TryGetValue(name, out var grant) || !SignatureMatches(http.Request, grant) || grant.Expiry < DateTimeOffset.UtcNow)
        {
            await ErrorAsync(http, 403, "AuthenticationFailed", "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.");
            return;
        }

        var comp = http.Request.Query["comp"].FirstOrDefault();
        switch (http.Request.Method, comp)
        {
            case ("PUT", null):
                await PutBlobAsync(http, name);
                break;
            case ("PUT", "block"):
                await PutBlockAsync(http, name);
                break;
            case ("PUT", "blocklist"):
                await PutBlockListAsync(http, name);
                break;
            case ("PUT", "metadata"):
                await SetMetadataAsync(http, name, metadata: true);
                break;
            case ("PUT", "properties"):
                await SetMetadataAsync(http, name, metadata: false);
                break;
            case ("HEAD", null):
                await GetBlobAsync(http, name, withBody: false);
                break;
            case ("GET", null):
                await GetBlobAsync(http, name, withBody: true);
                break;
            case ("DELETE", null):
                if (_blobs.TryRemove(name, out _))
                {
                    http.Response.StatusCode = 202;
                }
                else
                {
                    await ErrorAsync(http, 404, "BlobNotFound", "The specified blob does not exist.");
                }

                break;
            default:
                await ErrorAsync(http, 400, "InvalidQueryParameterValue", $"Value for one of the query parameters specified in the request URI is invalid (comp={comp}).");
                break;
        }
    }

    private async Task PutBlobAsync(HttpContext http, string name)
    {
        var blobType = http.Request.Headers["x-ms-blob-type"].FirstOrDefault();
        if (blobType is null)
        {
            await ErrorAsync(http, 400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified. (x-ms-blob-type)");
            return;
        }

        if (blobType != "BlockBlob")
        {
            await ErrorAsync(http, 400, "InvalidHeaderValue", "Only block blobs are supported by the simulator.");
            return;
        }

        var body = await ReadBodyAsync(http);
        var md5 = MD5.HashData(body);
        if (!await CheckContentMd5Async(http, md5))
        {
            return;
        }

        var blob = _blobs.GetOrAdd(name, _ => new BlobEntry());
        var conflict = false;
        lock (blob)
        {
            if (blob.Committed is not null && IfNoneMatchAny(http.Request))
            {
                conflict = true;
            }
            else
            {
                blob.Committed = body;
                blob.CommittedBlocks.Clear();
                blob.Uncommitted.Clear();
                ApplyHttpHeaders(blob, http.Request, md5);
                ReplaceMetadata(blob, http.Request);
                Touch(blob);
            }
        }

        if (conflict)
        {
            await ErrorAsync(http, 409, "BlobAlreadyExists", "The specified blob already exists.");
            return;
        }

        WriteWriteHeaders(http, blob);
        http.Response.Headers.ContentMD5 = Convert.ToBase64String(md5);
        EchoCrc64(http);
        http.Response.StatusCode = 201;
    }

    private async Task PutBlockAsync(HttpContext http, string name)
    {
        var blockId = http.Request.Query["blockid"].FirstOrDefault();
        if (string.IsNullOrEmpty(blockId))
        {
            await ErrorAsync(http, 400, "InvalidQueryParameterValue", "The blockid query parameter is required.");
            return;
        }

        var body = await ReadBodyAsync(http);
        var md5 = MD5.HashData(body);
        if (!await CheckContentMd5Async(http, md5))
        {
            return;
        }

        var blob = _blobs.GetOrAdd(name, _ => new BlobEntry());
        lock (blob)
        {
            blob.Uncommitted[blockId] = body;
        }

        http.Response.Headers.ContentMD5 = Convert.ToBase64String(md5);
        http.Response.Headers["x-ms-request-server-encrypted"] = "true";
        EchoCrc64(http);
        http.Response.StatusCode = 201;
    }

    private async Task PutBlockListAsync(HttpContext http, string name)
    {
        XDocument xml;
        try
        {
            xml = await XDocument.LoadAsync(http.Request.Body, LoadOptions.None, http.RequestAborted);
        }
        catch (System.Xml.XmlException)
        {
            await ErrorAsync(http, 400, "InvalidXmlDocument", "XML specified is not syntactically valid.");
            return;
        }

        var blob = _blobs.GetOrAdd(name, _ => new BlobEntry());
        string? error = null;
        lock (blob)
        {
            if (blob.Committed is not null && IfNoneMatchAny(http.Request))
            {
                error = "BlobAlreadyExists";
            }
            else
            {
                var committed = blob.CommittedBlocks.ToDictionary(b => b.Id, b => b.Data, StringComparer.Ordinal);
                var blocks = new List<(string Id, byte[] Data)>();
                foreach (var e in xml.Root?.Elements() ?? [])
                {
                    var id = e.Value;
                    byte[]? data = e.Name.LocalName switch
                    {
                        "Latest" => blob.Uncommitted.GetValueOrDefault(id) ?? committed.GetValueOrDefault(id),
                        "Uncommitted" => blob.Uncommitted.GetValueOrDefault(id),
                        "Committed" => committed.GetValueOrDefault(id),
                        _ => null,
                    };
                    if (data is null)
                    {
                        error = "InvalidBlockList";
                        break;
                    }

                    blocks.Add((id, data));
                }

                if (error is null)
                {
                    var content = new byte[blocks.Sum(b => (long)b.Data.Length)];
                    var offset = 0;
                    foreach (var (_, data) in blocks)
                    {
                        data.CopyTo(content, offset);
                        offset += data.Length;
                    }

                    blob.Committed = content;
                    blob.CommittedBlocks.Clear();
                    blob.CommittedBlocks.AddRange(blocks);
                    blob.Uncommitted.Clear();
                    ApplyHttpHeaders(blob, http.Request, null);
                    ReplaceMetadata(blob, http.Request);
                    Touch(blob);
                }
            }
        }

        switch (error)
        {
            case "BlobAlreadyExists":
                await ErrorAsync(http, 409, error, "The specified blob already exists.");
                return;
            case not null:
                await ErrorAsync(http, 400, error, "The specified block list is invalid.");
                return;
        }

        WriteWriteHeaders(http, blob);
        EchoCrc64(http);
        http.Response.StatusCode = 201;
    }

    private async Task SetMetadataAsync(HttpContext http, string name, bool metadata)
    {
        if (!_blobs.TryGetValue(name, out var blob) || !HasCommitted(blob))
        {
            await ErrorAsync(http, 404, "BlobNotFound", "The specified blob does not exist.");
            return;
        }

        lock (blob)
        {
            if (metadata)
            {
                ReplaceMetadata(blob, http.Request);
            }
            else
            {
                ApplyHttpHeaders(blob, http.Request, null);
            }

            Touch(blob);
        }

        WriteWriteHeaders(http, blob);
        http.Response.StatusCode = 200;
    }

    private async Task GetBlobAsync(HttpContext http, string name, bool withBody)
    {
        byte[]? content = null;
        if (_blobs.TryGetValue(name, out var blob))
        {
            lock (blob)
            {
                content = blob.Committed;
            }
        }

        if (blob is null || content is null)
        {
            await ErrorAsync(http, 404, "BlobNotFound", "The specified blob does not exist.", withBody);
            return;
        }

        var h = http.Response.Headers;
        lock (blob)
        {
            h.ContentType = blob.ContentType ?? "application/octet-stream";
            if (blob.ContentMd5 is not null)
            {
                h.ContentMD5 = blob.ContentMd5;
            }

            SetIfNotNull(h, "Content-Encoding", blob.ContentEncoding);
            SetIfNotNull(h, "Content-Language", blob.ContentLanguage);
            SetIfNotNull(h, "Content-Disposition", blob.ContentDisposition);
            SetIfNotNull(h, "Cache-Control", blob.CacheControl);
            h.ETag = blob.ETag;
            h.LastModified = blob.LastModified.ToString("R", CultureInfo.InvariantCulture);
            h["x-ms-creation-time"] = blob.CreatedOn.ToString("R", CultureInfo.InvariantCulture);
            foreach (var (k, v) in blob.Metadata)
            {
                h["x-ms-meta-" + k] = v;
            }
        }

        h.AcceptRanges = "bytes";
        h["x-ms-blob-type"] = "BlockBlob";
        h["x-ms-lease-status"] = "unlocked";
        h["x-ms-lease-state"] = "available";
        h["x-ms-server-encrypted"] = "true";
        h["x-ms-access-tier"] = "Hot";
        h["x-ms-access-tier-inferred"] = "true";
        http.Response.ContentLength = content.LongLength;
        http.Response.StatusCode = 200;
        if (withBody)
        {
            await http.Response.Body.WriteAsync(content, http.RequestAborted);
        }
    }

    private static bool HasCommitted(BlobEntry blob)
    {
        lock (blob)
        {
            return blob.Committed is not null;
        }
    }

    private static bool SignatureMatches(HttpRequest request, SasGrant grant)
    {
        var sig = request.Query["sig"].FirstOrDefault();

        // An unescaped '+' in a query string reads as a space: accept both spellings like the service does.
        return sig is not null && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(sig.Replace(' ', '+')),
            System.Text.Encoding.ASCII.GetBytes(grant.Signature));
    }

    private static bool IfNoneMatchAny(HttpRequest request) => request.Headers.IfNoneMatch.Any(v => v == "*");

    private static async Task<byte[]> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength is { } length and <= int.MaxValue)
        {
            var buffer = new byte[length];
            await http.Request.Body.ReadExactlyAsync(buffer, http.RequestAborted);
            return buffer;
        }

        using var ms = new MemoryStream();
        await http.Request.Body.CopyToAsync(ms, http.RequestAborted);
        return ms.ToArray();
    }

    private static async Task<bool> CheckContentMd5Async(HttpContext http, byte[] md5)
    {
        var sent = http.Request.Headers.ContentMD5.FirstOrDefault();
        if (sent is null || sent == Convert.ToBase64String(md5))
        {
            return true;
        }

        await ErrorAsync(http, 400, "Md5Mismatch", "The MD5 value specified in the request did not match with the MD5 value calculated by the server.");
        return false;
    }

    private static void ApplyHttpHeaders(BlobEntry blob, HttpRequest request, byte[]? computedMd5)
    {
        var h = request.Headers;
        blob.ContentType = h["x-ms-blob-content-type"].FirstOrDefault() ?? (computedMd5 is not null ? request.ContentType : null) ?? "application/octet-stream";
        blob.ContentEncoding = h["x-ms-blob-content-encoding"].FirstOrDefault();
        blob.ContentLanguage = h["x-ms-blob-content-language"].FirstOrDefault();
        blob.ContentDisposition = h["x-ms-blob-content-disposition"].FirstOrDefault();
        blob.CacheControl = h["x-ms-blob-cache-control"].FirstOrDefault();
        blob.ContentMd5 = h["x-ms-blob-content-md5"].FirstOrDefault() ?? (computedMd5 is null ? null : Convert.ToBase64String(computedMd5));
    }

    private static void ReplaceMetadata(BlobEntry blob, HttpRequest request)
    {
        blob.Metadata.Clear();
        foreach (var (key, value) in request.Headers)
        {
            if (key.StartsWith("x-ms-meta-", StringComparison.OrdinalIgnoreCase))
            {
                blob.Metadata[key["x-ms-meta-".Length..]] = value.ToString();
            }
        }
    }

    private void Touch(BlobEntry blob)
    {
        var now = DateTimeOffset.UtcNow;
        blob.LastModified = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero);
        blob.ETag = "\"0x" + Interlocked.Increment(ref _etagCounter).ToString("X", CultureInfo.InvariantCulture) + "\"";
    }

    private static void WriteWriteHeaders(HttpContext http, BlobEntry blob)
    {
        var h = http.Response.Headers;
        lock (blob)
        {
            h.ETag = blob.ETag;
            h.LastModified = blob.LastModified.ToString("R", CultureInfo.InvariantCulture);
        }

        h["x-ms-request-server-encrypted"] = "true";
    }

    private static void EchoCrc64(HttpContext http)
    {
        var crc = http.Request.Headers["x-ms-content-crc64"].FirstOrDefault();
        if (crc is not null)
        {
            http.Response.Headers["x-ms-content-crc64"] = crc;
        }
    }

    private static void SetIfNotNull(IHeaderDictionary h, string name, string? value)
    {
        if (value is not null)
        {
            h[name] = value;
        }
    }

    private static async Task ErrorAsync(HttpContext http, int status, string code, string message, bool withBody = true)
    {
        await Common.SimulatorHost.DrainAsync(http);
        http.Response.StatusCode = status;
        http.Response.Headers["x-ms-error-code"] = code;
        if (!withBody || HttpMethods.IsHead(http.Request.Method))
        {
            return;
        }

        http.Response.ContentType = "application/xml";
        var requestId = http.Response.Headers["x-ms-request-id"].ToString();
        var time = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        await http.Response.WriteAsync(
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{SecurityElement.Escape(message)}\nRequestId:{requestId}\nTime:{time}</Message></Error>",
            http.RequestAborted);
    }

    private sealed class BlobEntry
    {
        public byte[]? Committed { get; set; }
        public List<(string Id, byte[] Data)> CommittedBlocks { get; } = [];
        public Dictionary<string, byte[]> Uncommitted { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> Metadata { get; } = new(StringComparer.OrdinalIgnoreCase);
        public string? ContentType { get; set; }
        public string? ContentEncoding { get; set; }
        public string? ContentLanguage { get; set; }
        public string? ContentDisposition { get; set; }
        public string? CacheControl { get; set; }
        public string? ContentMd5 { get; set; }
        public string ETag { get; set; } = "\"0x0\"";
        public DateTimeOffset LastModified { get; set; }
        public DateTimeOffset CreatedOn { get; } = DateTimeOffset.UtcNow;
    }
}

internal sealed record SasGrant(string BlobName, string Signature, DateTimeOffset Expiry, string ConnectorId, string ItemExternalId, string BinaryExternalId, string Url);

internal sealed record UploadedBlob(byte[] Content, IReadOnlyDictionary<string, string> Metadata, string? ContentType);
