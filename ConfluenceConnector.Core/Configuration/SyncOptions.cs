namespace ConfluenceConnector.Core.Configuration;

/// <summary>Settings under <c>Sync:</c>.</summary>
public sealed class SyncOptions
{
    public const string SectionName = "Sync";

    /// <summary>NCRONTAB schedule of the full sync (six fields, UTC). Default: nightly at 02:00.</summary>
    public string Schedule { get; set; } = "0 0 2 * * *";

    /// <summary>Confluence list page size (1..250). The largest page costs the fewest requests.</summary>
    public int PageSize { get; set; } = 250;

    /// <summary>Whether blog posts are synced as records (with their comments and attachments), like pages.</summary>
    public bool IncludeBlogPosts { get; set; } = true;

    /// <summary>
    /// Whether the content binary holds the rendered <c>export_view</c> HTML (macros rendered) instead of the storage
    /// format. Off by default: it costs one more Confluence request (and point) per page or blog post.
    /// </summary>
    public bool UseExportView { get; set; }

    /// <summary>
    /// How a run reads comments, attachments and labels: <c>Auto</c> (default: decided once per run, see
    /// <see cref="Sync.ListingChoice"/>), <c>SiteWide</c> (site-wide listings into the run's site index, no per-content
    /// calls) or <c>PerContent</c> (per-page and per-blog-post calls). A string, so that a wrong value is named at
    /// start-up with the allowed ones.
    /// </summary>
    public string ListingStrategy { get; set; } = nameof(Configuration.ListingStrategy.Auto);

    /// <summary>
    /// How many records a worker process submits at once, shared by the batch activities running in it (a batch that
    /// runs alone may use them all).
    /// </summary>
    public int SubmitConcurrency { get; set; } = 64;

    /// <summary>How many Space sub-orchestrations run at once.</summary>
    public int MaxParallelSpaces { get; set; } = 8;

    /// <summary>Attempts per activity before a batch counts as failed (transient failures only).</summary>
    public int ActivityMaxAttempts { get; set; } = 5;

    /// <summary>Wait before the first activity retry; doubles on each further attempt.</summary>
    public TimeSpan ActivityFirstRetryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a sync waiting for the connector to be Enabled in RecordPoint looks again. Default 5 minutes.</summary>
    public TimeSpan ConnectorPollInterval { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>How a run reads the comments, attachments and labels of its pages and blog posts (<c>Sync:ListingStrategy</c>).</summary>
public enum ListingStrategy
{
    /// <summary>Decided once per run from the space filter (<see cref="Sync.ListingChoice"/>).</summary>
    Auto,

    /// <summary>Site-wide listings walked once into the run's site index; batches read their children from it.</summary>
    SiteWide,

    /// <summary>Per-content calls: labels, footer and inline comments with their replies, attachments.</summary>
    PerContent,
}
