using System.Collections.Concurrent;
using ConfluenceConnector.Core.RecordPoint;

namespace ConfluenceConnector.Core.Sync.Activities;

/// <summary>Thread-safe counters of one batch activity: records, binaries by kind, skips and failures.</summary>
internal sealed class BatchTally
{
    private int recordsSubmitted;
    private int recordsUnchanged;
    private int comments;
    private int attachments;
    private int contentBinaries;
    private int commentBinaries;
    private int attachmentBinaries;
    private int binariesSkipped;

    public int RecordsSubmitted => recordsSubmitted;

    public int RecordsUnchanged => recordsUnchanged;

    public int Comments => comments;

    public int Attachments => attachments;

    public int ContentBinaries => contentBinaries;

    public int CommentBinaries => commentBinaries;

    public int AttachmentBinaries => attachmentBinaries;

    public int Binaries => contentBinaries + commentBinaries + attachmentBinaries;

    public int BinariesSkipped => binariesSkipped;

    public ConcurrentBag<ItemFailure> Failures { get; } = [];

    public void Record(SubmissionOutcome outcome) =>
        Interlocked.Increment(ref outcome == SubmissionOutcome.AlreadySubmitted ? ref recordsUnchanged : ref recordsSubmitted);

    /// <summary>Counts a record RecordPoint already holds at this version (nothing submitted).</summary>
    public void Unchanged() => Interlocked.Increment(ref recordsUnchanged);

    /// <summary>Counts what Confluence holds for one page or blog post.</summary>
    public void Held(int commentCount, int attachmentCount)
    {
        Interlocked.Add(ref comments, commentCount);
        Interlocked.Add(ref attachments, attachmentCount);
    }

    /// <summary>Counts a binary RecordPoint accepted (or already held).</summary>
    public void Binary(BinaryKind kind)
    {
        switch (kind)
        {
            case BinaryKind.Content:
                Interlocked.Increment(ref contentBinaries);
                break;
            case BinaryKind.Comments:
                Interlocked.Increment(ref commentBinaries);
                break;
            default:
                Interlocked.Increment(ref attachmentBinaries);
                break;
        }
    }

    public void Skipped(string binaryId, BinaryKind kind, string reason)
    {
        Interlocked.Increment(ref binariesSkipped);
        Fail(binaryId, Name(kind), reason);
    }

    public void Fail(string itemId, string kind, string reason) => Failures.Add(new ItemFailure(itemId, kind, reason));

    public static string Name(BinaryKind kind) => kind switch
    {
        BinaryKind.Content => "content",
        BinaryKind.Comments => "comments",
        _ => "attachment",
    };
}

/// <summary>The binaries of a record.</summary>
public enum BinaryKind
{
    Content,
    Comments,
    Attachment,
}
