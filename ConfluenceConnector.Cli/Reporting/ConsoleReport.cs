using System.Globalization;
using ConfluenceConnector.Cli.Demo;
using ConfluenceConnector.Core.Configuration;
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

    public void Progress(TimeSpan elapsed, LiveProgress progress)
    {
        var t = progress.Run.Totals;
        var pages = t.Pages + progress.RunningSpaces.Sum(s => s.Pages);
        var records = t.RecordsSubmitted + t.RecordsUnchanged + progress.RunningSpaces.Sum(s => s.Records);
        var failures = t.Failures + progress.RunningSpaces.Sum(s => s.Failures);
        var running = progress.RunningSpaces.Count == 0 ? string.Empty : $" [{string.Join(", ", progress.RunningSpaces.Select(s => $"{s.SpaceKey} {N(s.Pages)}"))}]";
        var line = $"{progress.Run.Phase}: {t.Spaces} space(s) done, {progress.RunningSpaces.Count} running{running}, {N(pages)} page(s), {N(records)} record(s), {N(failures)} failure(s)";
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
        if (result.UnknownSpaceKeys.Count > 0)
        {
            output.WriteLine($"Space filter keys that Confluence does not show to the connector: {string.Join(", ", result.UnknownSpaceKeys)}");
        }

        if (result.FailureSamples.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Failures ({N(t.Failures)}{(t.Failures > result.FailureSamples.Count ? $", first {result.FailureSamples.Count} shown" : string.Empty)}):");
            foreach (var f in result.FailureSamples)
            {
                output.WriteLine($"  {f.Kind} {f.ItemId}: {f.Reason}");
            }
        }
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

    private static string Trim(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
