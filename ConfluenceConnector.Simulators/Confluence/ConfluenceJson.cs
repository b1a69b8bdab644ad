using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConfluenceConnector.Simulators.Confluence;

/// <summary>Wire shapes from the v2 OpenAPI spec (SpaceBulk, PageBulk, PageSingle, MultiEntityResult, ...).</summary>
internal static class ConfluenceJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Date(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static async Task WriteAsync(HttpContext http, object body, int status = 200)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json;charset=UTF-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, body, body.GetType(), Options, http.RequestAborted);
    }

    /// <summary>v2 error envelope: {"errors":[{"status":..,"code":..,"title":..,"detail":null}]}; 401 uses the gateway's {"code","message"} shape.</summary>
    public static object Error(int status, string? code, string title) => status == 401
        ? new UnauthorizedDto(401, title)
        : new ErrorsDto([new ErrorDto(status, code ?? DefaultCode(status), title, null)]);

    public static string DefaultCode(int status) => status switch
    {
        400 => "INVALID_REQUEST_PARAMETER",
        401 => "UNAUTHORIZED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "CONFLICT",
        429 => "TOO_MANY_REQUESTS",
        500 => "INTERNAL_SERVER_ERROR",
        502 => "BAD_GATEWAY",
        503 => "SERVICE_UNAVAILABLE",
        504 => "GATEWAY_TIMEOUT",
        _ => "ERROR",
    };

    public static string DefaultTitle(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized; scope does not match",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Rate limit exceeded.",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Error",
    };

    public static SpaceDto Space(SimSpace s, string? descriptionFormat) => new(
        s.Id,
        s.Key,
        s.Name,
        s.Type,
        s.Status,
        s.AuthorId,
        s.Key,
        Date(s.CreatedAt),
        s.HomepageId,
        descriptionFormat switch
        {
            "plain" => new SpaceDescriptionDto(new BodyTypeDto("plain", s.Description ?? ""), null),
            "view" => new SpaceDescriptionDto(null, new BodyTypeDto("view", s.Description is null ? "" : "<p>" + System.Net.WebUtility.HtmlEncode(s.Description) + "</p>")),
            _ => null,
        },
        null,
        new SpaceLinksDto("/spaces/" + Uri.EscapeDataString(s.Key)));

    public static PageDto Page(SimPage p, string spaceKey, string? bodyFormat, string? baseUrl)
    {
        BodyDto? body = null;
        if (bodyFormat is not null)
        {
            var value = new BodyTypeDto(bodyFormat, BodyRendering.Render(bodyFormat, p));
            body = bodyFormat switch
            {
                "storage" => new BodyDto { Storage = value },
                "atlas_doc_format" => new BodyDto { AtlasDocFormat = value },
                "view" => new BodyDto { View = value },
                "export_view" => new BodyDto { ExportView = value },
                "anonymous_export_view" => new BodyDto { AnonymousExportView = value },
                "styled_view" => new BodyDto { StyledView = value },
                "editor" => new BodyDto { Editor = value },
                _ => null,
            };
        }

        return new PageDto(
            p.Id,
            p.Status,
            p.Title,
            p.SpaceId,
            p.ParentId,
            p.ParentType,
            p.Position,
            p.AuthorId,
            p.OwnerId,
            p.LastOwnerId,
            Date(p.CreatedAt),
            new VersionDto(Date(p.Version.CreatedAt), p.Version.Message, p.Version.Number, p.Version.MinorEdit, p.Version.AuthorId),
            body,
            new PageLinksDto(
                $"/spaces/{Uri.EscapeDataString(spaceKey)}/pages/{p.Id}/{Slug(p.Title)}",
                $"/pages/resumedraft.action?draftId={p.Id}",
                "/x/" + TinyId(p.NumericId),
                baseUrl));
    }

    /// <summary>Confluence's web UI slug: the title, URL-encoded with '+' for spaces.</summary>
    public static string Slug(string title) => System.Net.WebUtility.UrlEncode(title);

    /// <summary>Confluence tiny link id: the page id's little-endian bytes, base64 with trailing zero bytes and padding removed.</summary>
    public static string TinyId(long id)
    {
        var bytes = BitConverter.GetBytes(id);
        if (!BitConverter.IsLittleEndian)
        {
            Array.Reverse(bytes);
        }

        var n = bytes.Length;
        while (n > 1 && bytes[n - 1] == 0)
        {
            n--;
        }

        return Convert.ToBase64String(bytes, 0, n).TrimEnd('=').Replace('/', '-').Replace('+', '_');
    }
}

internal sealed record ErrorsDto(IReadOnlyList<ErrorDto> Errors);

internal sealed record ErrorDto(int Status, string Code, string Title, string? Detail);

internal sealed record UnauthorizedDto(int Code, string Message);

internal sealed record MultiEntityResult<T>(IReadOnlyList<T> Results, [property: JsonPropertyName("_links")] MultiEntityLinks Links);

internal sealed record MultiEntityLinks(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Next,
    string Base);

internal sealed record SpaceDto(
    string Id,
    string Key,
    string Name,
    string Type,
    string Status,
    string AuthorId,
    string CurrentActiveAlias,
    string CreatedAt,
    string? HomepageId,
    SpaceDescriptionDto? Description,
    object? Icon,
    [property: JsonPropertyName("_links")] SpaceLinksDto Links);

internal sealed record SpaceDescriptionDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BodyTypeDto? Plain,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BodyTypeDto? View);

internal sealed record SpaceLinksDto(string Webui);

internal sealed record BodyTypeDto(string Representation, string Value);

internal sealed record VersionDto(string CreatedAt, string Message, int Number, bool MinorEdit, string AuthorId);

internal sealed record PageDto(
    string Id,
    string Status,
    string Title,
    string SpaceId,
    string? ParentId,
    string? ParentType,
    int? Position,
    string AuthorId,
    string? OwnerId,
    string? LastOwnerId,
    string CreatedAt,
    VersionDto Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BodyDto? Body,
    [property: JsonPropertyName("_links")] PageLinksDto Links);

internal sealed record PageLinksDto(
    string Webui,
    string Editui,
    string Tinyui,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Base);

internal sealed class BodyDto
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BodyTypeDto? Storage { get; init; }

    [JsonPropertyName("atlas_doc_format")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BodyTypeDto? AtlasDocFormat { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BodyTypeDto? View { get; init; }

    [JsonPropertyName("export_view")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BodyTypeDto? ExportView { get; init; }

    [JsonPropertyName("anonymous_export_view")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BodyTypeDto? AnonymousExportView { get; init; }

    [JsonPropertyName("styled_view")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BodyTypeDto? StyledView { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BodyTypeDto? Editor { get; init; }
}
