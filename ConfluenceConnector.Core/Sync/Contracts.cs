using ConfluenceConnector.Core.Configuration;

namespace ConfluenceConnector.Core.Sync;

// The small, flat payloads that travel between orchestrations and activities: ids, links and counters,
// never page bodies or bytes.

/// <summary>Run-wide settings fixed when a sync starts, so that every replay sees the same values.</summary>
public sealed record SyncRunSettings(int MaxParallelSpaces, int ActivityMaxAttempts, TimeSpan ActivityFirstRetryInterval, bool IncludeBlogPosts = true)
{
    /// <summary>How often a sync waiting for the connector to be Enabled in RecordPoint looks again.</summary>
    public TimeSpan ConnectorPollInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The configured <c>Sync:ListingStrategy</c>; the run settles Auto once, when it resolves the space filter.</summary>
    public ListingStrategy ListingStrategy { get; init; } = ListingStrategy.Auto;
}

/// <summary>What a batch lists: "page" or "blogpost".</summary>
public static class ContentTypes
{
    public const string Page = "page";
    public const string BlogPost = "blogpost";
}

/// <summary>A Space to sync.</summary>
public sealed record SpaceWork(string Id, string Key, string Name);

/// <summary>An item that did not become a record (or a binary that was not sent), with the reason.</summary>
public sealed record ItemFailure(string ItemId, string Kind, string Reason);

/// <summary>Running totals of a full sync.</summary>
public sealed record SyncTotals
{
    public int Spaces { get; init; }
    public int SpacesFailed { get; init; }
    public int SpacesExcluded { get; init; }
    public int Aggregations { get; init; }
    public int Pages { get; init; }
    public int RecordsSubmitted { get; init; }
    public int RecordsUnchanged { get; init; }
    public int Binaries { get; init; }
    public int BinariesSkipped { get; init; }
    public int Failures { get; init; }
    public int BlogPosts { get; init; }
    public int Comments { get; init; }
    public int Attachments { get; init; }
    public int ContentBinaries { get; init; }
    public int CommentBinaries { get; init; }
    public int AttachmentBinaries { get; init; }
    public long ConfluenceRequests { get; init; }
    public long ConfluencePoints { get; init; }

    /// <summary>How the run reads comments, attachments and labels (SiteWide or PerContent); null until settled.</summary>
    public ListingStrategy? Listing { get; init; }

    /// <summary>Objects the site-wide listings filed into the run's site index (SiteWide runs).</summary>
    public long SiteIndexObjects { get; init; }

    /// <summary>Confluence requests of the site-wide listings, on top of the spaces' <see cref="ConfluenceRequests"/>.</summary>
    public long SiteIndexRequests { get; init; }

    /// <summary>Confluence points of the site-wide listings, on top of the spaces' <see cref="ConfluencePoints"/>.</summary>
    public long SiteIndexPoints { get; init; }

    /// <summary>Seconds from the start of the site-wide listings until the last one ended (orchestration time; 0 when none ran).</summary>
    public double SiteIndexSeconds { get; init; }

    public SyncTotals Add(SpaceSyncResult space) => this with
    {
        Spaces = Spaces + 1,
        SpacesFailed = SpacesFailed + (space.Status == SpaceSyncStatus.Failed ? 1 : 0),
        Pages = Pages + space.Pages,
        RecordsSubmitted = RecordsSubmitted + space.RecordsSubmitted,
        RecordsUnchanged = RecordsUnchanged + space.RecordsUnchanged,
        Binaries = Binaries + space.Binaries,
        BinariesSkipped = BinariesSkipped + space.BinariesSkipped,
        Failures = Failures + space.Failures,
        BlogPosts = BlogPosts + space.BlogPosts,
        Comments = Comments + space.Comments,
        Attachments = Attachments + space.Attachments,
        ContentBinaries = ContentBinaries + space.ContentBinaries,
        CommentBinaries = CommentBinaries + space.CommentBinaries,
        AttachmentBinaries = AttachmentBinaries + space.AttachmentBinaries,
        ConfluenceRequests = ConfluenceRequests + space.ConfluenceRequests,
        ConfluencePoints = ConfluencePoints + space.ConfluencePoints,
    };
}

/// <summary>How a run or a space ended.</summary>
public enum SyncOutcome
{
    Completed,
    CompletedWithFailures,
    Failed,
}

/// <summary>How a space ended.</summary>
public enum SpaceSyncStatus
{
    Completed,
    CompletedWithFailures,
    Failed,
}

/// <summary>Input and carried-over state of <see cref="Orchestrators.FullSyncOrchestrator"/> (ContinueAsNew per page of spaces).</summary>
public sealed record FullSyncState
{
    public required SyncRunSettings Settings { get; init; }

    /// <summary>How many records (pages and blog posts) the last completed run saw: the basis of the ETA, null on a first run.</summary>
    public int? ExpectedRecords { get; init; }
    public string? RunId { get; init; }
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>The run's settled listing strategy (SiteWide or PerContent), null until the space filter is resolved.</summary>
    public ListingStrategy? Listing { get; init; }

    /// <summary>Whether the site index of a SiteWide run is built (its listings are walked once per run).</summary>
    public bool SiteIndexBuilt { get; init; }
    public int SpaceStatusIndex { get; init; }
    public string? SpacesNextLink { get; init; }
    public SyncTotals Totals { get; init; } = new();
    public IReadOnlyList<string> UnknownSpaceKeys { get; init; } = [];
    public IReadOnlyList<ItemFailure> FailureSamples { get; init; } = [];
}

/// <summary>Output of a full sync.</summary>
public sealed record FullSyncResult(
    string RunId,
    SyncOutcome Outcome,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt,
    SyncTotals Totals,
    IReadOnlyList<string> UnknownSpaceKeys,
    IReadOnlyList<ItemFailure> FailureSamples);

/// <summary>Custom status of a running full sync (what the ops endpoint and the local runner show).</summary>
public sealed record FullSyncProgress(string RunId, string Phase, int SpacesRunning, SyncTotals Totals)
{
    /// <summary>How the phase starts while the run waits for something outside the connector.</summary>
    public const string WaitingPrefix = "Waiting: ";
}

/// <summary>Input and carried-over state of <see cref="Orchestrators.SpaceSyncOrchestrator"/> (ContinueAsNew every few batches).</summary>
public sealed record SpaceSyncState
{
    public required string RunId { get; init; }
    public required SpaceWork Space { get; init; }
    public required SyncRunSettings Settings { get; init; }

    /// <summary>Where the batches find comments, attachments and labels: the run's site index (SiteWide) or per-content calls.</summary>
    public ListingStrategy Listing { get; init; } = ListingStrategy.PerContent;
    public string? NextLink { get; init; }
    public string ContentType { get; init; } = ContentTypes.Page;
    public int Batches { get; init; }
    public int Pages { get; init; }
    public int BlogPosts { get; init; }
    public int Comments { get; init; }
    public int Attachments { get; init; }
    public int ContentBinaries { get; init; }
    public int CommentBinaries { get; init; }
    public int AttachmentBinaries { get; init; }
    public int RecordsSubmitted { get; init; }
    public int RecordsUnchanged { get; init; }
    public int Binaries { get; init; }
    public int BinariesSkipped { get; init; }
    public int Failures { get; init; }
    public long ConfluenceRequests { get; init; }
    public long ConfluencePoints { get; init; }
    public IReadOnlyList<ItemFailure> FailureSamples { get; init; } = [];
}

/// <summary>Output of a space sub-orchestration.</summary>
public sealed record SpaceSyncResult(
    string SpaceId,
    string SpaceKey,
    string SpaceName,
    SpaceSyncStatus Status,
    int Pages,
    int RecordsSubmitted,
    int RecordsUnchanged,
    int Binaries,
    int BinariesSkipped,
    int Failures,
    IReadOnlyList<ItemFailure> FailureSamples,
    string? Error,
    int BlogPosts = 0,
    int Comments = 0,
    int Attachments = 0,
    int ContentBinaries = 0,
    int CommentBinaries = 0,
    int AttachmentBinaries = 0,
    long ConfluenceRequests = 0,
    long ConfluencePoints = 0);

/// <summary>Input of <see cref="Activities.SubmitSpacesPageActivity"/>.</summary>
public sealed record SpacesPageRequest(string RunId, string Status, string? NextLink);

/// <summary>Output of <see cref="Activities.SubmitSpacesPageActivity"/>: the spaces whose aggregation RecordPoint holds.</summary>
public sealed record SpacesPageResult(
    IReadOnlyList<SpaceWork> Spaces,
    string? NextLink,
    int Excluded,
    int AggregationsSubmitted,
    IReadOnlyList<ItemFailure> Failures);

/// <summary>Input of <see cref="Activities.SyncPageBatchActivity"/>; <paramref name="Listing"/> SiteWide reads the batch's children from the run's site index.</summary>
public sealed record PageBatchRequest(string RunId, SpaceWork Space, string? NextLink, string ContentType = ContentTypes.Page, ListingStrategy Listing = ListingStrategy.PerContent);

/// <summary>Input of <see cref="Activities.ResolveSpaceFilterActivity"/>: the run and its configured listing strategy.</summary>
public sealed record SpaceFilterRequest(string RunId, ListingStrategy Listing);

/// <summary>
/// Output of <see cref="Activities.ResolveSpaceFilterActivity"/>: the filter's unknown keys and the run's settled listing
/// strategy, with the space counts it was chosen from (0 when not counted).
/// </summary>
public sealed record SpaceFilterResolution(IReadOnlyList<string> UnknownKeys, ListingStrategy Listing, int SpacesInScope, int SpacesInSite);

/// <summary>A site-wide listing walked into the run's site index.</summary>
public enum SiteListing
{
    FooterComments,
    InlineComments,
    Attachments,
    Labels,
}

/// <summary>Input and carried-over state of <see cref="Orchestrators.SiteIndexOrchestrator"/> (ContinueAsNew every few pages).</summary>
public sealed record SiteIndexState
{
    public required string RunId { get; init; }
    public required SiteListing Listing { get; init; }
    public required SyncRunSettings Settings { get; init; }
    public string? NextLink { get; init; }
    public int Pages { get; init; }
    public long Objects { get; init; }
    public long ConfluenceRequests { get; init; }
    public long ConfluencePoints { get; init; }
}

/// <summary>Output of <see cref="Orchestrators.SiteIndexOrchestrator"/>: what one listing cost, or why it failed.</summary>
public sealed record SiteIndexResult(SiteListing Listing, int Pages, long Objects, long ConfluenceRequests, long ConfluencePoints, string? Error);

/// <summary>
/// Input of <see cref="Activities.IndexListingPageActivity"/>: up to <paramref name="MaxPages"/> pages of a site-wide
/// listing, from <paramref name="NextLink"/> (the first page when null).
/// </summary>
public sealed record IndexListingRequest(string RunId, SiteListing Listing, string? NextLink, int MaxPages);

/// <summary>
/// Output of <see cref="Activities.IndexListingPageActivity"/>: the pages filed, the link of the first page not filed
/// (null once the listing is complete), the objects filed, and the Confluence usage.
/// </summary>
public sealed record IndexListingResult(string? NextLink, int Pages, int Objects, long ConfluenceRequests, long ConfluencePoints);

/// <summary>Output of <see cref="Activities.SyncPageBatchActivity"/>.</summary>
public sealed record PageBatchResult(
    string? NextLink,
    int Pages,
    int RecordsSubmitted,
    int RecordsUnchanged,
    int Binaries,
    int BinariesSkipped,
    int Failures,
    IReadOnlyList<ItemFailure> FailureSamples,
    int Comments = 0,
    int Attachments = 0,
    int ContentBinaries = 0,
    int CommentBinaries = 0,
    int AttachmentBinaries = 0,
    long ConfluenceRequests = 0,
    long ConfluencePoints = 0);
