namespace ConfluenceConnector.Core.Sync.Ledger;

/// <summary>
/// What RecordPoint accepted for one page or blog post: the item version and a fingerprint per binary
/// (BinaryExternalId -> fingerprint). A binary that was skipped on purpose (too large) is kept with a fingerprint
/// that starts with <see cref="SkippedPrefix"/>, so that it is not tried again until it changes. <see cref="RunId"/> is
/// the run that submitted it and <see cref="Comments"/> how many comments it had then, set only when RecordPoint took
/// the item and every binary: a batch of that run that is retried (the activity failed after the submission) counts it
/// without reading or submitting it again.
/// </summary>
public sealed record LedgerEntry(string ItemId, int Version, IReadOnlyDictionary<string, string> Binaries, string? RunId = null, int? Comments = null)
{
    /// <summary>Prefix of the fingerprint of a binary RecordPoint declined as too large.</summary>
    public const string SkippedPrefix = "skipped:";
}

/// <summary>
/// The connector's memory of what RecordPoint accepted, so that a sync of an unchanged site submits nothing. Read and
/// written only inside activities. Losing it costs re-submissions (RecordPoint answers 409 = accepted), never data.
/// </summary>
public interface ISyncLedger
{
    /// <summary>The entries of <paramref name="itemIds"/> in a space that the ledger holds (missing ids are absent).</summary>
    Task<IReadOnlyDictionary<string, LedgerEntry>> GetAsync(string spaceId, IReadOnlyCollection<string> itemIds, CancellationToken cancellationToken);

    /// <summary>Records what RecordPoint accepted for one item, replacing any earlier entry.</summary>
    Task SaveAsync(string spaceId, LedgerEntry entry, CancellationToken cancellationToken);
}
