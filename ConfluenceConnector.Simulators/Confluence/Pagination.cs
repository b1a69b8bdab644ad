using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using ConfluenceConnector.Simulators.Common;

namespace ConfluenceConnector.Simulators.Confluence;

/// <summary>
/// Confluence-style cursor pagination. A cursor is base64url (with '=' padding) of
/// [version][offset][hash of path + every query parameter but cursor][HMAC]; it is bound to the
/// exact query (changing limit or a filter mid-walk, or tampering with it, answers 400).
/// </summary>
internal sealed class Pagination(PointsCounter points, byte[] key)
{
    private const byte CursorVersion = 1;
    private readonly byte[] _key = key;

    public const int DefaultLimit = 25;
    public const int MaxLimit = 250;

    /// <summary>Reads limit and cursor, then answers one page of <paramref name="items"/> with _links.next/base and a Link header.</summary>
    public async Task WriteAsync<T>(HttpContext http, IReadOnlyList<T> items, Func<T, object> map, string siteBase, int limit)
    {
        var offset = ReadCursor(http.Request);
        var slice = new List<object>(Math.Min(limit, Math.Max(0, items.Count - offset)));
        for (var i = offset; i < items.Count && slice.Count < limit; i++)
        {
            slice.Add(map(items[i]));
        }

        points.Returned(http, slice.Count);

        string? next = null;
        if (offset + slice.Count < items.Count)
        {
            next = NextLink(http.Request, Encode(offset + slice.Count, FilterKey(http.Request)));
            http.Response.Headers.Append("Link", $"<{next}>; rel=\"next\", <{siteBase}>; rel=\"base\"");
        }

        await ConfluenceJson.WriteAsync(http, new MultiEntityResult<object>(slice, new MultiEntityLinks(next, siteBase)));
    }

    public static int ReadLimit(QueryReader q, int defaultLimit = DefaultLimit)
    {
        var raw = q.Single("limit");
        if (raw is null)
        {
            return defaultLimit;
        }

        if (!int.TryParse(raw, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var limit)
            || limit < 1 || limit > MaxLimit)
        {
            throw new ApiException(400, "INVALID_REQUEST_PARAMETER", $"Provided value {{{raw}}} for 'limit' is not valid. Limit must be between 1 and {MaxLimit}.");
        }

        return limit;
    }

    private int ReadCursor(HttpRequest request)
    {
        var values = request.Query["cursor"];
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return 0;
        }

        if (values.Count > 1 || !TryDecode(values[0]!, FilterKey(request), out var offset))
        {
            throw new ApiException(400, "INVALID_REQUEST_PARAMETER", "Provided value for 'cursor' is not valid.");
        }

        return offset;
    }

    private string Encode(int offset, byte[] filterKey)
    {
        var payload = new byte[1 + 4 + 8 + 16];
        payload[0] = CursorVersion;
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(1), offset);
        filterKey.AsSpan(0, 8).CopyTo(payload.AsSpan(5));
        HMACSHA256.HashData(_key, payload.AsSpan(0, 13)).AsSpan(0, 16).CopyTo(payload.AsSpan(13));

        // base64url alphabet ('-', '_') but WITH '=' padding: clients must pass it verbatim.
        return Convert.ToBase64String(payload).Replace('+', '-').Replace('/', '_');
    }

    private bool TryDecode(string cursor, byte[] filterKey, out int offset)
    {
        offset = 0;
        byte[] payload;
        try
        {
            payload = Convert.FromBase64String(cursor.Replace('-', '+').Replace('_', '/'));
        }
        catch (FormatException)
        {
            return false;
        }

        if (payload.Length != 29 || payload[0] != CursorVersion)
        {
            return false;
        }

        var mac = HMACSHA256.HashData(_key, payload.AsSpan(0, 13)).AsSpan(0, 16);
        if (!CryptographicOperations.FixedTimeEquals(mac, payload.AsSpan(13)) || !filterKey.AsSpan(0, 8).SequenceEqual(payload.AsSpan(5, 8)))
        {
            return false;
        }

        offset = BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(1));
        return offset >= 0;
    }

    private static byte[] FilterKey(HttpRequest request)
    {
        var sb = new StringBuilder();
        sb.Append(request.Method).Append(' ').Append(request.PathBase.Value).Append(request.Path.Value).Append('?');
        foreach (var (k, v) in request.Query.Where(kv => !kv.Key.Equals("cursor", StringComparison.OrdinalIgnoreCase)).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.Append(k).Append('=').Append(string.Join('\u0001', v.ToArray())).Append('\u0002');
        }

        return SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString()));
    }

    /// <summary>Relative next link: the request's own path and raw query (every parameter kept as sent), with the cursor replaced.</summary>
    private static string NextLink(HttpRequest request, string cursor)
    {
        var parts = (request.QueryString.Value ?? "").TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !Uri.UnescapeDataString(p.Split('=', 2)[0]).Equals("cursor", StringComparison.OrdinalIgnoreCase))
            .Append("cursor=" + cursor);
        return request.PathBase.ToUriComponent() + request.Path.ToUriComponent() + "?" + string.Join('&', parts);
    }
}

/// <summary>Query-string helpers that accept both comma-separated and repeated parameters.</summary>
internal sealed class QueryReader(HttpRequest request)
{
    public string? Single(string name)
    {
        var v = request.Query[name];
        if (v.Count > 1)
        {
            throw Invalid(name, string.Join(",", v.ToArray()));
        }

        return v.Count == 0 ? null : v[0];
    }

    public IReadOnlyList<string> List(string name, int maxItems = int.MaxValue)
    {
        var result = request.Query[name]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        if (result.Count > maxItems)
        {
            throw new ApiException(400, "INVALID_REQUEST_PARAMETER", $"'{name}' accepts at most {maxItems} values.");
        }

        return result;
    }

    public IReadOnlyList<long> Ids(string name, int maxItems)
    {
        return List(name, maxItems).Select(v =>
        {
            var id = ConfluenceIds.Parse(v);
            return id > 0 ? id : throw Invalid(name, v);
        }).ToList();
    }

    public string? Enum(string name, params string[] allowed)
    {
        var v = Single(name);
        if (v is null)
        {
            return null;
        }

        return allowed.Contains(v, StringComparer.Ordinal) ? v : throw Invalid(name, v);
    }

    public IReadOnlyList<string> EnumList(string name, params string[] allowed)
    {
        var values = List(name);
        foreach (var v in values)
        {
            if (!allowed.Contains(v, StringComparer.Ordinal))
            {
                throw Invalid(name, v);
            }
        }

        return values;
    }

    public bool Bool(string name, bool defaultValue)
    {
        var v = Single(name);
        return v is null ? defaultValue : bool.TryParse(v, out var b) ? b : throw Invalid(name, v);
    }

    public static ApiException Invalid(string name, string value) =>
        new(400, "INVALID_REQUEST_PARAMETER", $"Provided value {{{value}}} for '{name}' is not valid.");
}
