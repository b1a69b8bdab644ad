using System.Globalization;
using ConfluenceConnector.Cli.Demo;
using ConfluenceConnector.Cli.Engine;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Operations;
using ConfluenceConnector.Core.Sync;

namespace ConfluenceConnector.Cli.Reporting;

/// <summary>What the local runner prints: where it syncs from and to, progress lines, and the summary per space.</summary>
public sealed class ConsoleReport(TextWriter output)
{
    private string? lastProgress;

    public void Endpoints(ConfluenceOptions confluence, RecordPointOptions recordPoint, DemoEnvironment demo)
    {
        output.WriteLine(demo.Confluence is { } c
            ? $"Confluence:  simulator at {c.BaseUrl} (demo site: {c.Site.Spaces.Count} spaces, {c.Site.Pages.Count} pages)"
            : $"Confluence:  {confluence.SiteRoot} ({confluence.AuthMode} auth)");
        output.WriteLine(demo.RecordPoint is { } r
            ? $"RecordPoint: simulator at {r.BaseUrl} (connector {recordPoint.ConnectorId})"
            : $"RecordPoint: {recordPoint.ConnectorApiRoot} (connector {recordPoint.ConnectorId}, {recordPoint.AuthMode} auth)");
        var filter = confluence.SpaceFilter;
        if (filter.Include.Count > 0 || filter.Exclude.Count > 0)
        {
            output.WriteLine($"Space filter: include [{string.Join(", ", filter.Include)}], exclude [{string.Join(", ", filter.Exclude)}]");
        }
    }

    /// <summary>Where the engine keeps orchestration state.</summary>
    public void Engine(EngineOptions engine) =>
        output.WriteLine(engine.Backend == EngineBackend.AzureStorage
            ? $"Engine:      Azure Storage, task hub {engine.TaskHub} (a sync survives this process; several runners share it)"
            : "Engine:      in memory (a sync ends with this process)");

    /// <summary>Whether this runner started the sync or joined one already under way on the task hub.</summary>
    public void Start(SyncStartResult start) =>
        output.WriteLine(start.Started
            ? $"Full sync {start.InstanceId} started."
            : $"Full sync {start.InstanceId} is already {start.RunningStatus} on the task hub: resuming it, not starting another.");

    /// <summary>A run as the task hub holds it (<c>status</c>): state, timestamps, progress so far, and its summary once ended.</summary>
    public void Status(SyncReport report)
    {
        output.WriteLine($"Full sync {report.InstanceId}: {report.RuntimeStatus}, created {report.CreatedAt:u}, last updated {report.LastUpdatedAt:u}");
        if (report.Result is null)
        {
            Progress(report.LastUpdatedAt - report.CreatedAt, report);
            if (report.FailureMessage is { } failure)
            {
                output.WriteLine($"Failure: {failure}");
            }

            return;
        }

        Summary(report, report.LastUpdatedAt - report.CreatedAt);
    }

    /// <summary>What the ops status adds to a run's report: what it waits for and when it should end.</summary>
    public void Outlook(SyncStatus status)
    {
        if (status.WaitingFor is { } waiting)
        {
            output.WriteLine($"Waiting for: {waiting}");
        }

        if (status.EstimatedCompletion is { } eta)
        {
            output.WriteLine($"Expected to finish about {eta:yyyy-MM-dd HH:mm} UTC ({status.PagesPerMinute:N1} pages/min, against the last run's size).");
        }
    }

    public void Progress(TimeSpan elapsed, SyncReport progress)
    {
        if (progress.Progress is not { } run)
        {
            return;
        }

        var t = run.Totals;
        var pages = t.Pages + progress.RunningSpaces.Sum(s => s.Pages);
        var records = t.RecordsSubmitted + t.RecordsUnchanged + progress.RunningSpaces.Sum(s => s.Records);
        var failures = t.Failures + progress.RunningSpaces.Sum(s => s.Failures);
        var running = progress.RunningSpaces.Count == 0 ? string.Empty : $" [{string.Join(", ", progress.RunningSpaces.Select(s => $"{s.SpaceKey} {N(s.Pages)}"))}]";
        var line = $"{run.Phase}: {t.Spaces} space(s) done, {progress.RunningSpaces.Count} running{running}, {N(pages)} page(s), {N(records)} record(s), {N(failures)} failure(s)";
        if (line != lastProgress)
        {
            output.WriteLine($"[{elapsed:hh\\:mm\\:ss}] {line}");
            lastProgress = line;
        }
    }

    public void Summary(SyncReport report, TimeSpan elapsed)
    {
        output.WriteLine();
        if (report.Result is not { } result)
        {
            output.WriteLine($"Full sync {report.InstanceId} ended {report.RuntimeStatus}: {report.FailureMessage ?? "no result"}");
            return;
        }

        output.WriteLine($"Full sync {result.RunId}: {result.Outcome} in {elapsed:hh\\:mm\\:ss}");
        output.WriteLine();
        var rows = report.Spaces.Select(s => new[]
        {
            s.SpaceKey, Trim(s.SpaceName, 32), s.Status.ToString(), N(s.Pages), N(s.RecordsSubmitted + s.RecordsUnchanged),
            N(s.Binaries), N(s.Failures),
        }).ToList();
        var t = result.Totals;
        rows.Add(["TOTAL", $"{t.Aggregations} aggregation(s)", string.Empty, N(t.Pages), N(t.RecordsSubmitted + t.RecordsUnchanged), N(t.Binaries), N(t.Failures)]);
        Table(["Space", "Name", "Status", "Pages", "Records", "Binaries", "Failures"], rows);

        output.WriteLine();
        output.WriteLine($"Records submitted: {N(t.RecordsSubmitted)}, already held by RecordPoint: {N(t.RecordsUnchanged)}; spaces excluded by the filter: {t.SpacesExcluded}; spaces failed: {t.SpacesFailed}.");
        output.WriteLine(Usage(t));
        if (result.UnknownSpaceKeys.Count > 0)
        {
            output.WriteLine($"Space filter keys that Confluence does not show to the connector: {string.Join(", ", result.UnknownSpaceKeys)}");
        }

        Reconcile(Reconciliation.For(report));
    }

    /// <summary>Per space: what Confluence holds, what RecordPoint accepted, and every difference listed with its reason.</summary>
    public void Reconcile(SyncReconciliation reconciliation)
    {
        output.WriteLine();
        output.WriteLine("Reconciliation (Confluence holds | RecordPoint accepted):");
        var rows = reconciliation.Spaces.Select(s => new[]
        {
            s.SpaceKey, s.Status.ToString(), N(s.Confluence.Pages), N(s.Confluence.BlogPosts), N(s.Confluence.Comments), N(s.Confluence.Attachments),
            s.RecordPoint.Aggregation ? "yes" : "no", N(s.RecordPoint.Records), N(s.RecordPoint.ContentBinaries), N(s.RecordPoint.CommentBinaries), N(s.RecordPoint.AttachmentBinaries), N(s.Differences),
            N(s.ConfluenceRequests), N(s.ConfluencePoints),
        }).ToList();
        Table(["Space", "Status", "Pages", "Blog posts", "Comments", "Attachments", "Aggregation", "Records", "Content", "Comment docs", "Attachments", "Differences", "Requests", "Points"], rows);
        if (reconciliation.SpacesExcludedByFilter > 0)
        {
            output.WriteLine($"Spaces excluded by the filter: {reconciliation.SpacesExcludedByFilter}.");
        }

        foreach (var space in reconciliation.Spaces.Where(s => s.Differences > 0))
        {
            output.WriteLine();
            output.WriteLine($"{space.SpaceKey}: {N(space.Differences)} difference(s){(space.Differences > space.Listed.Count ? $", first {space.Listed.Count} listed" : string.Empty)}:");
            foreach (var d in space.Listed)
            {
                output.WriteLine($"  {d.Kind} {d.Id}: {d.Reason}: {d.Detail}");
            }
        }
    }

    /// <summary>The run's listing strategy and Confluence usage: the site-wide listings next to the spaces, the total and its cost per record.</summary>
    private static string Usage(SyncTotals t)
    {
        var records = t.Pages + t.BlogPosts;
        var points = t.ConfluencePoints + t.SiteIndexPoints;
        var perRecord = records == 0 ? string.Empty : $", {(double)points / records:N1} per record";
        return $"Listing: {t.Listing?.ToString() ?? "not chosen"}. Confluence: site-wide listings {N(t.SiteIndexRequests)} request(s), {N(t.SiteIndexPoints)} point(s) ({N(t.SiteIndexObjects)} object(s) indexed in {t.SiteIndexSeconds.ToString("N1", CultureInfo.InvariantCulture)} s); "
            + $"spaces {N(t.ConfluenceRequests)} request(s), {N(t.ConfluencePoints)} point(s); total {N(t.ConfluenceRequests + t.SiteIndexRequests)} request(s), {N(points)} point(s){perRecord}.";
    }

    private void Table(string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i >= 3 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
        output.WriteLine(Line(header));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row));
        }
    }

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Trim(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
