using System.Globalization;
using System.Text;
using ConfluenceConnector.Core.Confluence;

namespace ConfluenceConnector.Core.Mapping;

/// <summary>
/// The content binary of a page: a complete, self-describing UTF-8 HTML document with the page's title, space,
/// version and dates in the head and its storage-format body inside.
/// </summary>
public static class ContentDocument
{
    public const string MimeType = "text/html";

    /// <summary>
    /// Builds the document around the storage-format body, or around <paramref name="exportView"/> (the rendered
    /// <c>export_view</c> HTML) when given.
    /// </summary>
    public static byte[] Build(Page page, SpaceRef space, string location, string? exportView = null)
    {
        var version = RecordMapper.RequireVersion(page);
        var sb = new StringBuilder(256 + (page.Body?.Storage?.Value?.Length ?? 0));
        sb.Append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<title>").Append(Escape(page.Title)).Append("</title>\n");
        Meta(sb, "confluence:page-id", page.Id);
        Meta(sb, "confluence:space-key", space.Key);
        Meta(sb, "confluence:space-name", space.Name);
        Meta(sb, "confluence:status", page.Status);
        Meta(sb, "confluence:version", version.Number.ToString(CultureInfo.InvariantCulture));
        Meta(sb, "confluence:created", page.CreatedAt?.ToString("O", CultureInfo.InvariantCulture));
        Meta(sb, "confluence:modified", version.CreatedAt?.ToString("O", CultureInfo.InvariantCulture));
        Meta(sb, "confluence:author", page.AuthorId);
        Meta(sb, "confluence:modified-by", version.AuthorId);
        Meta(sb, "confluence:url", location);
        Meta(sb, "confluence:body-format", exportView is null ? "storage" : "export_view");
        sb.Append("</head>\n<body>\n<h1>").Append(Escape(page.Title)).Append("</h1>\n");
        sb.Append(exportView ?? page.Body?.Storage?.Value ?? string.Empty);
        sb.Append("\n</body>\n</html>\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>A file name for the page's document: its title without characters file systems reject.</summary>
    public static string FileName(string title)
    {
        var invalid = new HashSet<char>(Path.GetInvalidFileNameChars()) { '\\', '/', ':', '*', '?', '"', '<', '>', '|' };
        var name = new string(title.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c).ToArray()).Trim();
        if (name.Length > 150)
        {
            name = name[..150];
        }

        return (name.Length == 0 ? "page" : name) + ".html";
    }

    /// <summary>Escapes the five HTML-significant characters; everything else stays as UTF-8 text.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => sb.Append("&amp;"),
                '<' => sb.Append("&lt;"),
                '>' => sb.Append("&gt;"),
                '"' => sb.Append("&quot;"),
                '\'' => sb.Append("&#39;"),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }

    private static void Meta(StringBuilder sb, string name, string? content)
    {
        if (!string.IsNullOrEmpty(content))
        {
            sb.Append("<meta name=\"").Append(name).Append("\" content=\"").Append(Escape(content)).Append("\">\n");
        }
    }
}
