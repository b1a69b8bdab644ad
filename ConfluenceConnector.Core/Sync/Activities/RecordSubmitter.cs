using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.Mapping;
using ConfluenceConnector.Core.RecordPoint;
using ConfluenceConnector.Core.Sync.Ledger;
using ConfluenceConnector.Core.Sync.SiteIndex;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace ConfluenceConnector.Core.Sync.Activities;

/// <summary>
/// Submits one page or blog post as a Record with all its binaries: the content document, the comments document
/// (only when it has comments) and each current attachment, streamed from Confluence into RecordPoint.
/// Takes the content's labels, comments (with every reply) and attachments from the run's site index when the batch
/// read them there (SiteWide runs, content the index holds completely), else reads them with per-content calls; both
/// feed the same submission. The sync ledger
/// says what RecordPoint already accepted: content whose version and binaries (by fingerprint) are unchanged is not
/// submitted again; anything else is submitted whole, and what RecordPoint accepts is written back to the ledger, with
/// the run's id when the item and all its binaries were taken: a retried batch of the same run counts that content
/// without reading it from Confluence again.
/// </summary>
public sealed class RecordSubmitter(
    ConfluenceClient confluence,
    AttachmentDownloader downloader,
    RecordPointClient recordPoint,
    RecordMapper mapper,
    ISyncLedger ledger,
    IOptions<SyncOptions> syncOptions,
    IOptions<RecordPointOptions> recordPointOptions,
    IOptions<ConfluenceOptions> confluenceOptions,
    TimeProvider timeProvider)
{
    /// <summary>Start of the reason given for content that disappeared between the listing and its details.</summary>
    public const string HiddenOrDeleted = "Hidden by permissions or deleted";

    /// <summary>How the reason of a record whose Confluence details could not be read begins.</summary>
    public const string ReadFailed = "Confluence read failed";

    /// <summary>Retries of a binary RecordPoint deferred (412: its item is not processed yet) before it is a named failure.</summary>
    public const int DeferredBinaryRetries = 4;

    /// <summary>
    /// Binaries of one record sent at once at most, within the batch's <c>Sync:SubmitConcurrency</c> records (and never more
    /// than that setting: 1 sends one thing at a time): the calls of a binary wait on the network, not on this machine,
    /// and most records have three or fewer.
    /// </summary>
    public const int BinariesInParallel = 4;

    /// <summary>
    /// 412 on a binary: wait (jittered exponential backoff from RecordPoint:Resilience:RetryBaseDelay) and send it again,
    /// its content reopened; <see cref="DeferredBinaryRetries"/> times at most.
    /// </summary>
    private readonly ResiliencePipeline deferredBinaries = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RecordPointException>(e => e.Kind == RecordPointFailureKind.Deferred),
            MaxRetryAttempts = DeferredBinaryRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = recordPointOptions.Value.Resilience.RetryBaseDelay,
            MaxDelay = recordPointOptions.Value.Resilience.MaxRetryDelay,
        })
        .Build();

    /// <param name="listed">The content's children from the site index, or null to read them with per-content calls (as when the index holds them incompletely).</param>
    /// <param name="runId">The run: content the ledger says this run already submitted whole (a retried batch) is counted, not read or sent again.</param>
    internal async Task SubmitAsync(string runId, Page content, string contentType, SpaceRef space, ContentChildren? listed, BatchTally tally, CancellationToken cancellationToken)
    {
        var held = (await ledger.GetAsync(space.Id, [content.Id], cancellationToken).ConfigureAwait(false)).GetValueOrDefault(content.Id);
        if (held is { Comments: { } commentCount } && held.RunId == runId && held.Version == content.Version?.Number)
        {
            tally.Held(commentCount, held.Binaries.Keys.Count(id => KindOf(id) == BinaryKind.Attachment));
            CountHeld(held, tally, submittedInThisRun: true);
            return;
        }

        var reference = contentType == ContentTypes.BlogPost ? ContentRef.BlogPost(content.Id) : ContentRef.Page(content.Id);
        IReadOnlyList<Label> labels;
        IReadOnlyList<Comment> comments;
        IReadOnlyList<Attachment> attachments;
        string? exportView;
        try
        {
            (comments, attachments, labels, _) = listed is { Complete: true } ? listed : await ReadChildrenAsync(reference, cancellationToken).ConfigureAwait(false);
            exportView = syncOptions.Value.UseExportView ? await confluence.GetExportViewAsync(reference, cancellationToken).ConfigureAwait(false) : null;
        }
        catch (ConfluenceApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Confluence answers 404 both for deleted content and for content the connector may no longer see.
            tally.Fail(content.Id, contentType, $"{HiddenOrDeleted} since it was listed: {e.Message}");
            return;
        }
        catch (ConfluenceApiException e) when (e.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
        {
            // The HTTP pipeline has already retried; this record alone is named as failed (the next run retries it,
            // since the ledger holds only what RecordPoint accepted) and the rest of the batch goes on.
            tally.Fail(content.Id, contentType, $"{ReadFailed} in space {space.Key} after {confluenceOptions.Value.Resilience.MaxRetries + 1} attempts: {e.Message}");
            return;
        }

        tally.Held(comments.Count, attachments.Count);

        ItemSubmission item;
        byte[] document;
        byte[]? commentsDocument;
        try
        {
            item = mapper.ToItem(content, space, contentType, labels);
            document = ContentDocument.Build(content, space, item.Location, exportView);
            commentsDocument = comments.Count == 0 ? null : CommentsDocument.Build(content, space, item.Location, comments);
        }
        catch (InvalidDataException e)
        {
            tally.Fail(content.Id, contentType, e.Message);
            return;
        }

        var desired = new LedgerEntry(content.Id, RecordMapper.RequireVersion(content).Number, Fingerprints(content.Id, document, commentsDocument, attachments));
        if (held is not null && Unchanged(held, desired))
        {
            CountHeld(held, tally, submittedInThisRun: false);
            return;
        }

        var accepted = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        try
        {
            tally.Record(await recordPoint.SubmitItemAsync(item, cancellationToken).ConfigureAwait(false));
        }
        catch (RecordPointException e) when (e.Kind is RecordPointFailureKind.Rejected or RecordPointFailureKind.Deferred or RecordPointFailureKind.Transient)
        {
            tally.Fail(content.Id, contentType, e.Message);
            return;
        }

        // The record exists now: its binaries go to RecordPoint side by side (each is several calls: SAS token, upload,
        // notification, and a download for an attachment).
        var binaries = new List<Func<CancellationToken, Task>>
        {
            ct => SubmitDocumentAsync(mapper.ToContentBinary(content, space, document.LongLength, Hash(document), Guid.NewGuid().ToString()), BinaryKind.Content, document, desired, accepted, tally, ct),
        };
        if (commentsDocument is not null)
        {
            binaries.Add(ct => SubmitDocumentAsync(mapper.ToCommentsBinary(content, space, commentsDocument.LongLength, Hash(commentsDocument), Guid.NewGuid().ToString()), BinaryKind.Comments, commentsDocument, desired, accepted, tally, ct));
        }

        foreach (var attachment in attachments)
        {
            var binary = mapper.ToAttachmentBinary(content, space, attachment, Guid.NewGuid().ToString());
            var bytes = new BinaryContent(attachment.FileSize ?? 0, ct => downloader.OpenAsync(content.Id, attachment, ct));
            binaries.Add(ct => SubmitBinaryAsync(binary, BinaryKind.Attachment, bytes, desired, accepted, tally, ct));
        }

        await Parallel.ForEachAsync(
            binaries,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Min(BinariesInParallel, syncOptions.Value.SubmitConcurrency), CancellationToken = cancellationToken },
            async (submit, ct) => await submit(ct).ConfigureAwait(false)).ConfigureAwait(false);

        var taken = new Dictionary<string, string>(accepted, StringComparer.Ordinal);
        await ledger.SaveAsync(space.Id, taken.Count == desired.Binaries.Count ? desired with { Binaries = taken, RunId = runId, Comments = comments.Count } : desired with { Binaries = taken }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The content's labels, comments with every reply, and attachments, read with per-content calls.</summary>
    private async Task<ContentChildren> ReadChildrenAsync(ContentRef reference, CancellationToken cancellationToken)
    {
        var labels = await confluence.ListAllLabelsAsync(reference, cancellationToken).ConfigureAwait(false);
        var comments = await confluence.ListAllCommentsAsync(reference, cancellationToken).ConfigureAwait(false);
        var attachments = await confluence.ListAllAttachmentsAsync(reference, cancellationToken).ConfigureAwait(false);
        return new ContentChildren(comments, attachments, labels);
    }

    /// <summary>Binary fingerprints: documents by their SHA-256, attachments by id, version, size and file id.</summary>
    private static Dictionary<string, string> Fingerprints(string contentId, byte[] document, byte[]? commentsDocument, IReadOnlyList<Attachment> attachments)
    {
        var fingerprints = new Dictionary<string, string>(StringComparer.Ordinal) { [RecordMapper.ContentBinaryId(contentId)] = Hash(document) };
        if (commentsDocument is not null)
        {
            fingerprints[RecordMapper.CommentsBinaryId(contentId)] = Hash(commentsDocument);
        }

        foreach (var attachment in attachments)
        {
            fingerprints[attachment.Id] = $"v{attachment.Version?.Number}/{attachment.FileSize}/{attachment.FileId}";
        }

        return fingerprints;
    }

    /// <summary>Same version and the same binaries, each accepted (or declined as too large) with the same fingerprint.</summary>
    private static bool Unchanged(LedgerEntry held, LedgerEntry desired) =>
        held.Version == desired.Version
        && held.Binaries.Count == desired.Binaries.Count
        && desired.Binaries.All(b => held.Binaries.TryGetValue(b.Key, out var f) && (f == b.Value || f == LedgerEntry.SkippedPrefix + b.Value));

    /// <summary>
    /// Counts content as RecordPoint holds it (unchanged, or submitted earlier in this run by an attempt of the batch whose
    /// result was lost), and reports again the binaries it declined.
    /// </summary>
    private static void CountHeld(LedgerEntry held, BatchTally tally, bool submittedInThisRun)
    {
        if (submittedInThisRun)
        {
            tally.Record(SubmissionOutcome.Accepted);
        }
        else
        {
            tally.Unchanged();
        }

        foreach (var (binaryId, fingerprint) in held.Binaries)
        {
            var kind = KindOf(binaryId);
            if (fingerprint.StartsWith(LedgerEntry.SkippedPrefix, StringComparison.Ordinal))
            {
                tally.Skipped(binaryId, kind, $"Skipped as too large in an earlier sync ({BatchTally.Name(kind)} binary of {held.ItemId}); not sent again until it changes.");
            }
            else
            {
                tally.Binary(kind);
            }
        }
    }

    private static BinaryKind KindOf(string binaryId) =>
        binaryId.EndsWith("-content", StringComparison.Ordinal) ? BinaryKind.Content
        : binaryId.EndsWith("-comments", StringComparison.Ordinal) ? BinaryKind.Comments
        : BinaryKind.Attachment;

    private Task SubmitDocumentAsync(BinarySubmission binary, BinaryKind kind, byte[] document, LedgerEntry desired, ConcurrentDictionary<string, string> accepted, BatchTally tally, CancellationToken cancellationToken) =>
        SubmitBinaryAsync(binary, kind, new BinaryContent(document.LongLength, _ => Task.FromResult<Stream>(new MemoryStream(document, writable: false))), desired, accepted, tally, cancellationToken);

    private async Task SubmitBinaryAsync(BinarySubmission binary, BinaryKind kind, BinaryContent content, LedgerEntry desired, ConcurrentDictionary<string, string> accepted, BatchTally tally, CancellationToken cancellationToken)
    {
        var name = BatchTally.Name(kind);
        var fingerprint = desired.Binaries[binary.BinaryExternalId];
        try
        {
            var outcome = await deferredBinaries.ExecuteAsync(ct => new ValueTask<SubmissionOutcome>(recordPoint.SubmitBinaryAsync(binary, content, ct)), cancellationToken).ConfigureAwait(false);
            if (outcome == SubmissionOutcome.SkippedTooLarge)
            {
                accepted[binary.BinaryExternalId] = LedgerEntry.SkippedPrefix + fingerprint;
                tally.Skipped(binary.BinaryExternalId, kind, $"Skipped as too large: the {name} binary '{binary.FileName}' of {binary.ItemExternalId} ({content.Length} bytes) is larger than RecordPoint's maxFileSize.");
                return;
            }

            accepted[binary.BinaryExternalId] = fingerprint;
            tally.Binary(kind);
        }
        catch (RecordPointException e) when (e.Kind is RecordPointFailureKind.ProtectionNotEnabled)
        {
            tally.Skipped(binary.BinaryExternalId, kind, e.Message);
        }
        catch (RecordPointException e) when (e.Kind is RecordPointFailureKind.Rejected or RecordPointFailureKind.Deferred or RecordPointFailureKind.Transient)
        {
            tally.Fail(binary.BinaryExternalId, name, $"Failed after retries: {e.Message}");
        }
        catch (ConfluenceApiException e) when (e.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
        {
            tally.Fail(binary.BinaryExternalId, name, $"Download failed after retries: {e.Message}");
        }
    }

    private static string Hash(byte[] bytes) => Convert.ToBase64String(SHA256.HashData(bytes));
}
