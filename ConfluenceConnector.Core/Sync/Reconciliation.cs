namespace ConfluenceConnector.Core.Sync;

/// <summary>What Confluence holds in a space's scope: records (pages, blog posts) and what they carry.</summary>
public sealed record ConfluenceHoldings(int Pages, int BlogPosts, int Comments, int Attachments);

/// <summary>What RecordPoint accepted (or already held) for a space: its aggregation, records and binaries by kind.</summary>
public sealed record RecordPointHoldings(bool Aggregation, int Records, int ContentBinaries, int CommentBinaries, int AttachmentBinaries);

/// <summary>One difference between the two sides, by id, with why it exists.</summary>
public sealed record ReconciliationDifference(string Id, string Kind, string Reason, string Detail);

/// <summary>
/// A space's reconciliation: Confluence's side, RecordPoint's side, the differences, and the Confluence requests and
/// rate-limit points the space's batches spent. <see cref="Differences"/> is
/// exact; <see cref="Listed"/> names the first of them (a space keeps at most
/// <see cref="Orchestrators.SpaceSyncOrchestrator.MaxFailureSamples"/> by id so that orchestration state stays small).
/// </summary>
public sealed record SpaceReconciliation(
    string SpaceId,
    string SpaceKey,
    SpaceSyncStatus Status,
    ConfluenceHoldings Confluence,
    RecordPointHoldings RecordPoint,
    int MissingRecords,
    int MissingAttachments,
    int Differences,
    IReadOnlyList<ReconciliationDifference> Listed,
    string? Error,
    long ConfluenceRequests,
    long ConfluencePoints);

/// <summary>A run's reconciliation: one entry per synced space, and the spaces the filter left out.</summary>
public sealed record SyncReconciliation(IReadOnlyList<SpaceReconciliation> Spaces, int SpacesExcludedByFilter, IReadOnlyList<string> FilterKeysNotVisible);

/// <summary>Builds the reconciliation of a run from what its orchestrations recorded (each space's output).</summary>
public static class Reconciliation
{
    public const string SkippedTooLarge = "skipped as too large";
    public const string SkippedNoProtection = "skipped: RecordPoint accepts no binaries";
    public const string FailedAfterRetries = "failed after retries";
    public const string SpaceFailed = "space sync failed";
    public const string HiddenOrDeleted = "hidden by permissions or deleted";

    public static SyncReconciliation For(SyncReport report) => new(
        [.. report.Spaces.Select(For)],
        report.Result?.Totals.SpacesExcluded ?? 0,
        report.Result?.UnknownSpaceKeys ?? []);

    public static SpaceReconciliation For(SpaceSyncResult space)
    {
        var records = space.RecordsSubmitted + space.RecordsUnchanged;
        var listed = space.FailureSamples.Select(f => new ReconciliationDifference(f.ItemId, f.Kind, Classify(f.Reason), f.Reason)).ToList();
        var differences = space.Failures;
        if (space.Error is { } error)
        {
            listed.Insert(0, new ReconciliationDifference(space.SpaceId, "space", SpaceFailed, error));
            differences++;
        }

        return new SpaceReconciliation(
            space.SpaceId,
            space.SpaceKey,
            space.Status,
            new ConfluenceHoldings(space.Pages, space.BlogPosts, space.Comments, space.Attachments),
            new RecordPointHoldings(true, records, space.ContentBinaries, space.CommentBinaries, space.AttachmentBinaries),
            Math.Max(0, space.Pages + space.BlogPosts - records),
            Math.Max(0, space.Attachments - space.AttachmentBinaries),
            differences,
            listed,
            space.Error,
            space.ConfluenceRequests,
            space.ConfluencePoints);
    }

    private static string Classify(string reason) =>
        reason.StartsWith("Skipped as too large", StringComparison.Ordinal) ? SkippedTooLarge
        : reason.StartsWith(Activities.RecordSubmitter.HiddenOrDeleted, StringComparison.Ordinal) ? HiddenOrDeleted
        : reason.Contains("ProtectionNotEnabled", StringComparison.Ordinal) ? SkippedNoProtection
        : FailedAfterRetries;
}
