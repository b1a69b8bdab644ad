namespace ConfluenceConnector.Core.Configuration;

/// <summary>Settings under <c>Sync:</c>.</summary>
public sealed class SyncOptions
{
    public const string SectionName = "Sync";

    /// <summary>NCRONTAB schedule of the full sync (six fields, UTC). Default: nightly at 02:00.</summary>
    public string Schedule { get; set; } = "0 0 2 * * *";

    /// <summary>Confluence list page size (1..250). The largest page costs the fewest requests.</summary>
    public int PageSize { get; set; } = 250;

    /// <summary>How many records one batch activity submits at once.</summary>
    public int SubmitConcurrency { get; set; } = 8;

    /// <summary>How many Space sub-orchestrations run at once.</summary>
    public int MaxParallelSpaces { get; set; } = 8;

    /// <summary>Attempts per activity before a batch counts as failed (transient failures only).</summary>
    public int ActivityMaxAttempts { get; set; } = 5;

    /// <summary>Wait before the first activity retry; doubles on each further attempt.</summary>
    public TimeSpan ActivityFirstRetryInterval { get; set; } = TimeSpan.FromSeconds(10);
}
