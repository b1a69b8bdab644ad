using ConfluenceConnector.Core.Configuration;

namespace ConfluenceConnector.Core.Sync;

/// <summary>
/// The Include/Exclude lists of Space keys. An empty Include means every space; Exclude always wins.
/// Keys compare case-insensitively.
/// </summary>
public sealed class SpaceFilter(SpaceFilterOptions options)
{
    /// <summary>Confluence takes at most this many keys in one <c>keys=</c> filter.</summary>
    public const int MaxKeysPerQuery = 250;

    private readonly HashSet<string> include = new(options.Include.Select(k => k.Trim()), StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> exclude = new(options.Exclude.Select(k => k.Trim()), StringComparer.OrdinalIgnoreCase);

    /// <summary>Every key named in either list.</summary>
    public IReadOnlyCollection<string> NamedKeys => include.Union(exclude, StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>The keys to ask Confluence for, or null to list every space (no Include list, or too long for one query).</summary>
    public IReadOnlyCollection<string>? ListingKeys => include.Count is > 0 and <= MaxKeysPerQuery ? include : null;

    public bool IsIncluded(string key) => !exclude.Contains(key) && (include.Count == 0 || include.Contains(key));
}
