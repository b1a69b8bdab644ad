using System.Globalization;
using System.Text;
using ConfluenceConnector.Core.Confluence;

namespace ConfluenceConnector.Core.Mapping;

/// <summary>
/// The comments binary of a page or blog post: one UTF-8 HTML document holding every footer and inline comment,
/// threaded (each reply nested under the comment it answers), with author id, date and, for inline comments, the
/// resolution status and the selected text.
/// </summary>
public static class CommentsDocument
{
    public const string MimeType = "text/html";

    /// <summary>Builds the document; comments are grouped by kind (footer, then inline) and ordered by id within a thread.</summary>
    public static byte[] Build(Page content, SpaceRef space, string location, IReadOnlyList<Comment> comments)
    {
        var children = comments.Where(c => c.ParentCommentId is not null).ToLookup(c => c.ParentCommentId!, StringComparer.Ordinal);
        var known = comments.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var roots = comments.Where(c => c.ParentCommentId is null || !known.Contains(c.ParentCommentId)).ToList();
        var sb = new StringBuilder(1024);
        sb.Append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<title>Comments: ").Append(ContentDocument.Escape(content.Title)).Append("</title>\n");
        Meta(sb, "confluence:content-id", content.Id);
        Meta(sb, "confluence:space-key", space.Key);
        Meta(sb, "confluence:comment-count", comments.Count.ToString(CultureInfo.InvariantCulture));
        Meta(sb, "confluence:url", location);
        sb.Append("</head>\n<body>\n<h1>Comments: ").Append(ContentDocument.Escape(content.Title)).Append("</h1>\n");
        foreach (var (kind, heading) in new[] { (false, "Footer comments"), (true, "Inline comments") })
        {
            var thread = roots.Where(c => IsInline(c) == kind).OrderBy(c => c.Id, IdComparer.Instance).ToList();
            if (thread.Count == 0)
            {
                continue;
            }

            sb.Append("<section class=\"").Append(kind ? "inline" : "footer").Append("-comments\">\n<h2>").Append(heading).Append("</h2>\n");
            foreach (var root in thread)
            {
                Append(sb, root, children);
            }

            sb.Append("</section>\n");
        }

        sb.Append("</body>\n</html>\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>The document's file name: the content title plus " - comments.html".</summary>
    public static string FileName(string title) => ContentDocument.FileName(title)[..^".html".Length] + " - comments.html";

    private static bool IsInline(Comment c) => c.ResolutionStatus is not null || c.Properties is not null;

    private static void Append(StringBuilder sb, Comment comment, ILookup<string, Comment> children)
    {
        sb.Append("<article class=\"comment\" id=\"comment-").Append(ContentDocument.Escape(comment.Id)).Append("\" data-comment-id=\"").Append(ContentDocument.Escape(comment.Id)).Append('"');
        if (comment.ParentCommentId is { } parent)
        {
            sb.Append(" data-parent-id=\"").Append(ContentDocument.Escape(parent)).Append('"');
        }

        sb.Append(">\n<p class=\"meta\">");
        sb.Append("<span class=\"author\" data-account-id=\"").Append(ContentDocument.Escape(comment.Version?.AuthorId)).Append("\">").Append(ContentDocument.Escape(comment.Version?.AuthorId ?? RecordMapper.UnknownAccount)).Append("</span>");
        if (comment.Version?.CreatedAt is { } created)
        {
            sb.Append(" <time datetime=\"").Append(created.ToString("O", CultureInfo.InvariantCulture)).Append("\">").Append(created.ToString("O", CultureInfo.InvariantCulture)).Append("</time>");
        }

        if (comment.ResolutionStatus is { } resolution)
        {
            sb.Append(" <span class=\"resolution\">").Append(ContentDocument.Escape(resolution)).Append("</span>");
        }

        sb.Append("</p>\n");
        if (comment.Properties?.InlineOriginalSelection is { Length: > 0 } selection)
        {
            sb.Append("<blockquote class=\"selection\">").Append(ContentDocument.Escape(selection)).Append("</blockquote>\n");
        }

        sb.Append("<div class=\"body\">").Append(comment.Body?.Storage?.Value ?? string.Empty).Append("</div>\n");
        var replies = children[comment.Id].OrderBy(c => c.Id, IdComparer.Instance).ToList();
        if (replies.Count > 0)
        {
            sb.Append("<div class=\"replies\">\n");
            foreach (var reply in replies)
            {
                Append(sb, reply, children);
            }

            sb.Append("</div>\n");
        }

        sb.Append("</article>\n");
    }

    private static void Meta(StringBuilder sb, string name, string content) =>
        sb.Append("<meta name=\"").Append(name).Append("\" content=\"").Append(ContentDocument.Escape(content)).Append("\">\n");

    /// <summary>Numeric ids in numeric order (shorter first), so that threads read in the order they were written.</summary>
    private sealed class IdComparer : IComparer<string>
    {
        public static readonly IdComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            var byLength = (x?.Length ?? 0).CompareTo(y?.Length ?? 0);
            return byLength != 0 ? byLength : string.CompareOrdinal(x, y);
        }
    }
}
