namespace ConfluenceConnector.Core.Sync.SiteIndex;

/// <summary>The rule both stores apply to a run id before it names a file or a table: 1 to 48 ASCII letters or digits.</summary>
internal static class SiteIndexRunId
{
    public const int MaxLength = 48;

    public static string Require(string runId) =>
        runId is { Length: > 0 and <= MaxLength } && runId.All(char.IsAsciiLetterOrDigit)
            ? runId
            : throw new ArgumentException($"A site index run id is 1 to {MaxLength} ASCII letters or digits, not '{runId}'.", nameof(runId));
}
