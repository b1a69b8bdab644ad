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

    /// <summary>How many records one batch activity submits at once.</summary>
    public int SubmitConcurrency { get; set; } = 8;

    /// <summary>How many Space sub-orchestrations run at once.</summary>
    public int MaxParallelSpaces { get; set; } = 8;

    /// <summary>Attempts per activity before a batch counts as failed (transient failures only).</summary>
    public int ActivityMaxAttempts { get; set; } = 5;

    /// <summary>Wait before the first activity retry; doubles on each further attempt.</summary>
    public TimeSpan ActivityFirstRetryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a sync waiting for the connector to be Enabled in RecordPoint looks again. Default 5 minutes.</summary>
    public TimeSpan ConnectorPollInterval { get; set; } = TimeSpan.FromMinutes(5);
}
