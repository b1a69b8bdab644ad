namespace ConfluenceConnector.Core.Confluence.OAuth;

/// <summary>
/// The ONE list of OAuth scopes the connector asks for: Confluence's granular read-only scopes (v2 endpoints refuse
/// classic ones), <c>read:me</c> to identify the authorising user and <c>offline_access</c> for a refresh token.
/// </summary>
public static class ConfluenceScopes
{
    public static readonly IReadOnlyList<string> Required =
    [
        "read:space:confluence",
        "read:page:confluence",
        "read:comment:confluence",
        "read:attachment:confluence",
        "read:label:confluence",
        "read:content.metadata:confluence",
        "read:hierarchical-content:confluence",
        "read:folder:confluence",
        "readonly:content.attachment:confluence",
        "read:me",
        "offline_access",
    ];

    /// <summary>Compares granted scopes with <see cref="Required"/>: what is missing, and what grants more than reading.</summary>
    public static ScopeCheck Check(IEnumerable<string> granted)
    {
        var set = granted.Where(s => !string.IsNullOrWhiteSpace(s)).ToHashSet(StringComparer.Ordinal);
        var missing = Required.Where(s => !set.Contains(s)).ToList();
        var excessive = set.Where(s => !IsReadOnly(s)).OrderBy(s => s, StringComparer.Ordinal).ToList();
        return new ScopeCheck(missing, excessive);
    }

    /// <summary>Splits the space-separated <c>scope</c> value of a token answer.</summary>
    public static IReadOnlyList<string> Parse(string? scope) =>
        (scope ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool IsReadOnly(string scope) =>
        scope == "offline_access"
        || scope.StartsWith("read:", StringComparison.Ordinal)
        || scope.StartsWith("readonly:", StringComparison.Ordinal)
        || scope.StartsWith("search:", StringComparison.Ordinal);
}

/// <summary>The outcome of <see cref="ConfluenceScopes.Check"/>.</summary>
public sealed record ScopeCheck(IReadOnlyList<string> Missing, IReadOnlyList<string> Excessive)
{
    public bool IsAcceptable => Missing.Count == 0 && Excessive.Count == 0;
}
