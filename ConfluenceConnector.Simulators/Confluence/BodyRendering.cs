using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ConfluenceConnector.Simulators.Confluence;

/// <summary>Turns a storage body into the other representations the API can answer.</summary>
internal static partial class BodyRendering
{
    public static string Render(string format, SimPage page) => format switch
    {
        "storage" or "editor" => page.BodyStorage,
        "atlas_doc_format" => ToAdf(page.BodyStorage),
        "view" or "export_view" or "anonymous_export_view" => ToView(page.BodyStorage),
        "styled_view" => "<html><head><style>body{font-family:sans-serif}</style></head><body>" + ToView(page.BodyStorage) + "</body></html>",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>A simple HTML rendering: macros become divs/pre blocks, macro parameters disappear.</summary>
    public static string ToView(string storage)
    {
        var html = CodeMacro().Replace(storage, m => "<pre class=\"syntaxhighlighter-pre\">" + WebUtility.HtmlEncode(m.Groups["code"].Value) + "</pre>");
        html = Parameter().Replace(html, "");
        html = SelfClosingMacro().Replace(html, m => $"<div class=\"conf-macro\" data-macro-name=\"{m.Groups["name"].Value}\"></div>");
        html = MacroOpen().Replace(html, m => $"<div class=\"conf-macro\" data-macro-name=\"{m.Groups["name"].Value}\">");
        html = MacroClose().Replace(html, "</div>");
        html = AcTag().Replace(html, "");
        return html;
    }

    /// <summary>A minimal Atlassian Document Format document holding the body's text.</summary>
    public static string ToAdf(string storage)
    {
        var text = WebUtility.HtmlDecode(AnyTag().Replace(ToView(storage), " ")).Trim();
        var doc = new
        {
            type = "doc",
            version = 1,
            content = new object[]
            {
                new { type = "paragraph", content = new object[] { new { type = "text", text } } },
            },
        };
        return JsonSerializer.Serialize(doc);
    }

    [GeneratedRegex("<ac:structured-macro[^>]*ac:name=\"code\"[^>]*>.*?<!\\[CDATA\\[(?<code>.*?)\\]\\]>.*?</ac:structured-macro>", RegexOptions.Singleline)]
    private static partial Regex CodeMacro();

    [GeneratedRegex("<ac:parameter[^>]*>.*?</ac:parameter>", RegexOptions.Singleline)]
    private static partial Regex Parameter();

    [GeneratedRegex("<ac:structured-macro[^>]*ac:name=\"(?<name>[^\"]*)\"[^>]*/>")]
    private static partial Regex SelfClosingMacro();

    [GeneratedRegex("<ac:structured-macro[^>]*ac:name=\"(?<name>[^\"]*)\"[^>]*>")]
    private static partial Regex MacroOpen();

    [GeneratedRegex("</ac:structured-macro>")]
    private static partial Regex MacroClose();

    [GeneratedRegex("</?ac:[^>]*>")]
    private static partial Regex AcTag();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex AnyTag();
}
