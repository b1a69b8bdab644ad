using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConfluenceConnector.Simulators.Bench;

namespace ConfluenceConnector.Cli.Benchmark;

/// <summary>What one <c>bench</c> run measured; written as JSON and as a markdown table.</summary>
public sealed record BenchmarkReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public required string Profile { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required string Outcome { get; init; }
    public required string? Listing { get; init; }
    public required int ProcessorCount { get; init; }

    // The site.
    public required int Spaces { get; init; }
    public required int SitePages { get; init; }
    public required int SiteBlogPosts { get; init; }
    public required int RecordsInScope { get; init; }
    public required int CommentsInScope { get; init; }
    public required int AttachmentsInScope { get; init; }
    public required double SiteGenerationSeconds { get; init; }

    // The sync.
    public required double WallSeconds { get; init; }
    public required int RecordsSynced { get; init; }
    public required int RecordsInRecordPoint { get; init; }
    public required int BinariesInRecordPoint { get; init; }
    public required int Failures { get; init; }
    public required double PagesPerSecond { get; init; }

    // Confluence.
    public required long ConfluenceRequests { get; init; }
    public required long ConfluenceObjects { get; init; }
    public required long ConfluencePoints { get; init; }
    public required double RequestsPerPage { get; init; }
    public required double PointsPerPage { get; init; }
    public required double RequestsPerObject { get; init; }
    public required double PointsPerObject { get; init; }
    public required long PointsLowerBound { get; init; }
    public required double PointsRatio { get; init; }

    // RecordPoint.
    public required long RecordPointCalls { get; init; }
    public required double RecordPointCallsPerPage { get; init; }

    // The bench's process: the connector alone (its host, the in-process durable engine, its activities and clients).
    // The simulators run in a child process, measured on their own below.

    /// <summary>The bench process's peak working set (the OS's high-water mark, or the largest sample if higher).</summary>
    public required double ConnectorPeakWorkingSetMb { get; init; }

    /// <summary>The largest of the bench process's working set sampled twice a second during the sync.</summary>
    public required double ConnectorMaxSampledWorkingSetMb { get; init; }

    /// <summary>The bench process's working set before the sync, after a full collection: the idle connector host and engine.</summary>
    public required double ConnectorWorkingSetBeforeSyncMb { get; init; }

    /// <summary>The bench process's managed heap once the sync ended, after a full collection: what the connector's host and engine still hold.</summary>
    public required double ConnectorManagedHeapAfterSyncMb { get; init; }

    /// <summary>The simulators' child process's peak working set: the generated site, RecordPoint's store, both web hosts. Not the connector's.</summary>
    public required double SimulatorsPeakWorkingSetMb { get; init; }

    public required int MaxHistoryEvents { get; init; }
    public required string? MaxHistoryOrchestration { get; init; }
    public required long OrchestrationEpisodes { get; init; }

    // Throttling.
    public required long Confluence429 { get; init; }
    public required long RecordPoint429 { get; init; }
    public required long QuotaRefusals { get; init; }
    public required int QuotaWindows { get; init; }
    public required IReadOnlyDictionary<string, long> ConfluenceInjected { get; init; }
    public required IReadOnlyDictionary<string, long> RecordPointInjected { get; init; }

    /// <summary>Quota profile: how much faster than real time the quota's windows ran; null otherwise.</summary>
    public int? QuotaTimeScale { get; init; }

    /// <summary>Hours this site needs at <see cref="BenchSetup.QuotaPointsPerHour"/>: its points over the hourly quota.</summary>
    public required double HoursAtQuota { get; init; }

    /// <summary>Hours a 100,000-page site of the same shape needs at the quota: points per page × 100,000 over the hourly quota.</summary>
    public required double HoursAtQuotaFor100kPages { get; init; }

    /// <summary>Quota profile: the measured wall time scaled back to real time (wall × time scale), in hours; null otherwise.</summary>
    public double? ObservedHoursAtQuota { get; init; }

    public required IReadOnlyDictionary<string, long> ConfluenceRequestsByRoute { get; init; }
    public required IReadOnlyDictionary<string, long> ConfluenceObjectsByRoute { get; init; }
    public required IReadOnlyDictionary<string, long> RecordPointRequestsByRoute { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static BenchmarkReport FromJson(string json) => JsonSerializer.Deserialize<BenchmarkReport>(json, Json)!;

    /// <summary>The headline numbers as a two-column markdown table.</summary>
    public string ToMarkdown()
    {
        var rows = new List<(string, string)>
        {
            ("Profile", Profile),
            ("Outcome", Outcome),
            ("Listing strategy", Listing ?? "-"),
            ("Site", $"{N(Spaces)} spaces, {N(SitePages)} pages, {N(SiteBlogPosts)} blog posts; in scope {N(RecordsInScope)} records, {N(CommentsInScope)} comments, {N(AttachmentsInScope)} attachments"),
            ("Wall time", $"{WallSeconds:F1} s"),
            ("Pages/s (records synced / wall)", F(PagesPerSecond)),
            ("Records synced / in RecordPoint", $"{N(RecordsSynced)} / {N(RecordsInRecordPoint)} ({N(Failures)} failures)"),
            ("Confluence requests (per page, per object)", $"{N(ConfluenceRequests)} ({F(RequestsPerPage)}, {F(RequestsPerObject)})"),
            ("Confluence points (per page, per object)", $"{N(ConfluencePoints)} ({F(PointsPerPage)}, {F(PointsPerObject)})"),
            ("Points lower bound, ratio", $"{N(PointsLowerBound)}, {PointsRatio:F3}"),
            ("RecordPoint calls (per page)", $"{N(RecordPointCalls)} ({F(RecordPointCallsPerPage)})"),
            ("Connector process: peak working set (sampled max)", $"{ConnectorPeakWorkingSetMb:F0} MB ({ConnectorMaxSampledWorkingSetMb:F0} MB)"),
            ("Connector process: working set before the sync; managed heap after it (after full GCs)", $"{ConnectorWorkingSetBeforeSyncMb:F0} MB; {ConnectorManagedHeapAfterSyncMb:F0} MB"),
            ("Simulators' process (separate, not the connector): peak working set", $"{SimulatorsPeakWorkingSetMb:F0} MB"),
            ("Largest orchestration history", $"{N(MaxHistoryEvents)} events ({MaxHistoryOrchestration ?? "-"})"),
            ("Throttling: Confluence 429s, RecordPoint 429s", $"{N(Confluence429)}, {N(RecordPoint429)}"),
            ("Quota: refusals, windows", $"{N(QuotaRefusals)}, {QuotaWindows}"),
            ("Hours at 65,000 points/h: this site, 100k pages", $"{HoursAtQuota:F2}, {HoursAtQuotaFor100kPages:F2}"),
        };
        if (ObservedHoursAtQuota is { } observed)
        {
            rows.Add(($"Observed wall × {QuotaTimeScale} (real-time quota)", $"{observed:F2} h"));
        }

        var md = new StringBuilder();
        md.AppendLine("| Measure | Value |").AppendLine("|---|---|");
        foreach (var (name, value) in rows)
        {
            md.Append("| ").Append(name).Append(" | ").Append(value).AppendLine(" |");
        }

        return md.ToString();
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double d) => d.ToString("F2", CultureInfo.InvariantCulture);
}
