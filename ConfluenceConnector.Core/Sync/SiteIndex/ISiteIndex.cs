using System.Text.Json;
using ConfluenceConnector.Core.Confluence;

namespace ConfluenceConnector.Core.Sync.SiteIndex;

/// <summary>Which site-wide listing an <see cref="IndexedChild"/> came from.</summary>
public enum ChildKind
{
    FooterComment,
    InlineComment,
    Attachment,
    Label,
}

/// <summary>
/// One object of a site-wide listing, filed under the page or blog post it belongs to (content ids are unique across
/// pages and blog posts). <paramref name="Json"/> is the object as <see cref="ContentChildren.Serialize"/> writes it.
/// </summary>
public sealed record IndexedChild(string ContentId, ChildKind Kind, string Id, string Json);

/// <summary>
/// What the site-wide listings hold for one page or blog post. <see cref="Complete"/> is false when the index could
/// not keep every object of this content (for example a comment too large for a table entity): the content's children
/// are then read with per-content calls instead.
/// </summary>
public sealed record ContentChildren(IReadOnlyList<Comment> Comments, IReadOnlyList<Attachment> Attachments, IReadOnlyList<Label> Labels, bool Complete = true)
{
    /// <summary>Content that no site-wide listing mentioned: no comments, attachments or labels.</summary>
    public static readonly ContentChildren None = new([], [], []);

    /// <summary>The stored form of a listed comment, attachment or label.</summary>
    public static string Serialize<T>(T item) => JsonSerializer.Serialize(item, ConfluenceClient.Json);

    /// <summary>
    /// Builds one content's children from its index rows, in a stable order (by id). Inline comments always carry a
    /// resolution status ("open" when Confluence gave none) and footer comments never do, as with per-content reads.
    /// </summary>
    public static ContentChildren From(IEnumerable<IndexedChild> rows, bool complete = true)
    {
        var comments = new List<Comment>();
        var attachments = new List<Attachment>();
        var labels = new List<Label>();
        foreach (var row in rows.OrderBy(r => r.Kind).ThenBy(r => r.Id, StringComparer.Ordinal))
        {
            switch (row.Kind)
            {
                case ChildKind.FooterComment:
                    comments.Add(Deserialize<Comment>(row) with { ResolutionStatus = null });
                    break;
                case ChildKind.InlineComment:
                    var inline = Deserialize<Comment>(row);
                    comments.Add(inline with { ResolutionStatus = inline.ResolutionStatus ?? "open" });
                    break;
                case ChildKind.Attachment:
                    attachments.Add(Deserialize<Attachment>(row));
                    break;
                case ChildKind.Label:
                    labels.Add(Deserialize<Label>(row));
                    break;
            }
        }

        return new ContentChildren(comments, attachments, labels, complete);
    }

    private static T Deserialize<T>(IndexedChild row) =>
        JsonSerializer.Deserialize<T>(row.Json, ConfluenceClient.Json)
        ?? throw new InvalidDataException($"The site index holds an empty {row.Kind} {row.Id} for content {row.ContentId}.");
}

/// <summary>
/// The run's index of the site-wide listings (footer and inline comments with their replies, attachments, labels),
/// filed by content id, so that a batch of pages finds its children without per-page calls and without the whole site
/// in memory. Written and read only inside activities; one index per run, deleted when the run ends.
/// </summary>
public interface ISiteIndex
{
    /// <summary>Files one listing page's objects. Idempotent: writing the same (content, kind, id) again keeps one.</summary>
    Task AddAsync(string runId, IReadOnlyCollection<IndexedChild> children, CancellationToken cancellationToken);

    /// <summary>The children of each of <paramref name="contentIds"/> (one batch); content the index never saw maps to <see cref="ContentChildren.None"/>.</summary>
    Task<IReadOnlyDictionary<string, ContentChildren>> GetAsync(string runId, IReadOnlyCollection<string> contentIds, CancellationToken cancellationToken);

    /// <summary>Deletes everything the run filed (safe to call twice, or for a run that filed nothing).</summary>
    Task DeleteRunAsync(string runId, CancellationToken cancellationToken);
}
