using System.Collections.Concurrent;
using System.Security.Cryptography;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.Mapping;
using ConfluenceConnector.Core.RecordPoint;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Sync.Activities;

/// <summary>
/// Reads one page (up to 250) of a Space's pages with their bodies and submits each as a Record with its content
/// binary, a bounded number at a time. Returns counts and the next link, never the content.
/// </summary>
public sealed class SyncPageBatchActivity(
    ConfluenceClient confluence,
    RecordPointClient recordPoint,
    RecordMapper mapper,
    IOptions<SyncOptions> syncOptions,
    ILogger<SyncPageBatchActivity> logger) : TaskActivity<PageBatchRequest, PageBatchResult>
{
    /// <summary>How many failures one batch reports by id (the count is always exact).</summary>
    public const int MaxFailureSamples = 20;

    public override async Task<PageBatchResult> RunAsync(TaskActivityContext context, PageBatchRequest request)
    {
        var space = new SpaceRef(request.Space.Id, request.Space.Key, request.Space.Name);
        var listing = await PermanentFailures.Guard(() => confluence.ListSpacePagesAsync(space.Id, request.NextLink, CancellationToken.None)).ConfigureAwait(false);

        var tally = new Tally();
        await Parallel.ForEachAsync(
            listing.Results,
            new ParallelOptions { MaxDegreeOfParallelism = syncOptions.Value.SubmitConcurrency },
            async (page, ct) => await PermanentFailures.Guard(() => SubmitPageAsync(page, space, tally, ct)).ConfigureAwait(false)).ConfigureAwait(false);

        logger.LogInformation(
            "Space {SpaceKey}: {Pages} page(s), {Submitted} record(s) submitted, {Unchanged} already held, {Binaries} binar(ies), {Failures} failure(s)",
            space.Key, listing.Results.Count, tally.RecordsSubmitted, tally.RecordsUnchanged, tally.Binaries, tally.Failures.Count);

        return new PageBatchResult(
            listing.NextLink,
            listing.Results.Count,
            tally.RecordsSubmitted,
            tally.RecordsUnchanged,
            tally.Binaries,
            tally.BinariesSkipped,
            tally.Failures.Count,
            tally.Failures.OrderBy(f => f.ItemId, StringComparer.Ordinal).Take(MaxFailureSamples).ToList());
    }

    private async Task SubmitPageAsync(Page page, SpaceRef space, Tally tally, CancellationToken cancellationToken)
    {
        ItemSubmission item;
        byte[] document;
        try
        {
            item = mapper.ToItem(page, space);
            document = ContentDocument.Build(page, space, item.Location);
        }
        catch (InvalidDataException e)
        {
            tally.Fail(page.Id, "page", e.Message);
            return;
        }

        try
        {
            var outcome = await recordPoint.SubmitItemAsync(item, cancellationToken).ConfigureAwait(false);
            tally.Record(outcome);
        }
        catch (RecordPointException e) when (e.Kind is RecordPointFailureKind.Rejected or RecordPointFailureKind.Deferred or RecordPointFailureKind.Transient)
        {
            tally.Fail(page.Id, "page", e.Message);
            return;
        }

        var binary = mapper.ToContentBinary(page, space, document.LongLength, Convert.ToBase64String(SHA256.HashData(document)), Guid.NewGuid().ToString());
        try
        {
            var outcome = await recordPoint.SubmitBinaryAsync(
                binary,
                new BinaryContent(document.LongLength, _ => Task.FromResult<Stream>(new MemoryStream(document, writable: false))),
                cancellationToken).ConfigureAwait(false);
            tally.Binary(outcome);
            if (outcome == SubmissionOutcome.SkippedTooLarge)
            {
                tally.Fail(binary.BinaryExternalId, "content", $"Content document of page {page.Id} ({document.LongLength} bytes) is larger than RecordPoint's maxFileSize.");
            }
        }
        catch (RecordPointException e) when (e.Kind is RecordPointFailureKind.ProtectionNotEnabled)
        {
            tally.Binary(SubmissionOutcome.SkippedTooLarge);
            tally.Fail(binary.BinaryExternalId, "content", e.Message);
        }
        catch (RecordPointException e) when (e.Kind is RecordPointFailureKind.Rejected or RecordPointFailureKind.Deferred or RecordPointFailureKind.Transient)
        {
            tally.Fail(binary.BinaryExternalId, "content", e.Message);
        }

    }

    private sealed class Tally
    {
        private int recordsSubmitted;
        private int recordsUnchanged;
        private int binaries;
        private int binariesSkipped;

        public int RecordsSubmitted => recordsSubmitted;

        public int RecordsUnchanged => recordsUnchanged;

        public int Binaries => binaries;

        public int BinariesSkipped => binariesSkipped;

        public ConcurrentBag<ItemFailure> Failures { get; } = [];

        public void Record(SubmissionOutcome outcome) =>
            Interlocked.Increment(ref outcome == SubmissionOutcome.AlreadySubmitted ? ref recordsUnchanged : ref recordsSubmitted);

        public void Binary(SubmissionOutcome outcome) =>
            Interlocked.Increment(ref outcome == SubmissionOutcome.SkippedTooLarge ? ref binariesSkipped : ref binaries);

        public void Fail(string itemId, string kind, string reason) => Failures.Add(new ItemFailure(itemId, kind, reason));
    }
}
