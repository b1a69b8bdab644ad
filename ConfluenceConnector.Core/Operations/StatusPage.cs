using System.Globalization;
using System.Text;
using ConfluenceConnector.Core.Mapping;
using ConfluenceConnector.Core.Sync;

namespace ConfluenceConnector.Core.Operations;

/// <summary>
/// The human view of <see cref="SyncStatus"/>: one self-contained HTML page (no scripts, no external assets) with a
/// progress bar per space, the totals and the failures table. It refreshes itself while a run is under way.
/// </summary>
public static class StatusPage
{
    public static string Render(SyncStatus? status, IReadOnlyList<SyncRunSummary> runs, int refreshSeconds = 15)
    {
        var running = status?.Phase is not null;
        var html = new StringBuilder(8192);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Confluence connector: full sync</title>\n");
        if (running)
        {
            html.Append(CultureInfo.InvariantCulture, $"<meta http-equiv=\"refresh\" content=\"{refreshSeconds}\">\n");
        }

        html.Append("""
            <style>
            body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2733}
            h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
            table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #dde3ea}
            td.n{text-align:right;font-variant-numeric:tabular-nums}
            .bar{width:14rem;height:.8rem;background:#e8edf2;border-radius:.4rem;overflow:hidden}
            .fill{height:100%;background:#2f7d4f}.fill.failed{background:#b3261e}
            .fill.running{width:100%;background:repeating-linear-gradient(45deg,#5b8def 0 .5rem,#86aaf4 .5rem 1rem)}
            .state{font-weight:600}.muted{color:#637083}
            </style>
            </head>
            <body>

            """);

        if (status is null)
        {
            html.Append("<h1>No full sync has run yet</h1>\n<p class=\"muted\">The first run starts on the schedule (Sync:Schedule) or with POST /api/sync.</p>\n");
        }
        else
        {
            AppendRun(html, status);
        }

        AppendRuns(html, runs);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendRun(StringBuilder html, SyncStatus status)
    {
        var t = status.Totals;
        html.Append(CultureInfo.InvariantCulture, $"<h1>Full sync <span class=\"state\" id=\"state\">{E(status.State)}</span></h1>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">Run {E(status.RunId ?? "-")} started {status.StartedAt:yyyy-MM-dd HH:mm:ss} UTC, {Elapsed(status.Elapsed)} elapsed, {status.PagesPerMinute:N1} pages/min.");
        if (status.Phase is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $" Now: {E(status.Phase)}.");
        }

        if (status.EstimatedCompletion is { } eta)
        {
            html.Append(CultureInfo.InvariantCulture, $" <span id=\"eta\">Expected to finish about {eta:yyyy-MM-dd HH:mm} UTC</span> (at this pace, against the last run's size).");
        }

        html.Append("</p>\n");
        if (status.ActionNeeded is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"state\" id=\"action-needed\">Action needed: {E(status.ActionNeeded)}</p>\n");
        }

        if (status.WaitingFor is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"state\" id=\"waiting\">Waiting for {E(status.WaitingFor)}</p>\n");
        }

        if (status.Error is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"state\" id=\"error\">{E(status.Error)}</p>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<p id=\"totals\">{t.Spaces:N0} space(s) done, {t.Pages:N0} page(s), {t.RecordsSubmitted + t.RecordsUnchanged:N0} record(s), {t.Binaries:N0} binar(ies), {t.Failures:N0} failure(s); {t.SpacesExcluded:N0} space(s) excluded by the filter; {t.ConfluenceRequests:N0} Confluence request(s), {t.ConfluencePoints:N0} point(s) in finished spaces; listing {E(t.Listing?.ToString() ?? "not chosen")}: {t.SiteIndexRequests:N0} request(s), {t.SiteIndexPoints:N0} point(s) in the site-wide listings.</p>\n");
        if (status.UnknownSpaceKeys.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p id=\"unknown-keys\">Space filter keys Confluence does not show to the connector: {E(string.Join(", ", status.UnknownSpaceKeys))}</p>\n");
        }

        html.Append("<h2>Spaces</h2>\n<table id=\"spaces\">\n<tr><th>Space</th><th>Progress</th><th>State</th><th>Pages</th><th>Records</th><th>Binaries</th><th>Failures</th></tr>\n");
        foreach (var space in status.Spaces)
        {
            var (css, value) = space.State switch
            {
                "Running" => ("running", (int?)null),
                "Failed" => ("failed", 100),
                _ => (string.Empty, 100),
            };
            var aria = value is { } v ? $" aria-valuenow=\"{v}\"" : string.Empty;
            var width = value is { } w ? $" style=\"width:{w}%\"" : string.Empty;
            html.Append(CultureInfo.InvariantCulture, $"<tr data-space=\"{E(space.SpaceKey)}\"><td>{E(space.SpaceKey)}<br><span class=\"muted\">{E(space.SpaceName ?? string.Empty)}</span></td>");
            html.Append(CultureInfo.InvariantCulture, $"<td><div class=\"bar\" role=\"progressbar\" aria-valuemin=\"0\" aria-valuemax=\"100\"{aria} aria-label=\"{E(space.SpaceKey)}\"><div class=\"fill {css}\"{width}></div></div></td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{E(space.State)}{(space.WaitingFor is null ? string.Empty : "<br><span class=\"muted\">waiting for " + E(space.WaitingFor) + "</span>")}{(space.Error is null ? string.Empty : "<br><span class=\"muted\">" + E(space.Error) + "</span>")}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"n\">{space.Pages:N0}</td><td class=\"n\">{space.Records:N0}</td><td class=\"n\">{(space.Binaries is { } b ? b.ToString("N0", CultureInfo.InvariantCulture) : "-")}</td><td class=\"n\">{space.Failures:N0}</td></tr>\n");
        }

        html.Append("</table>\n");

        if (status.Reconciliation is { } reconciliation)
        {
            AppendReconciliation(html, reconciliation);
        }

        html.Append(CultureInfo.InvariantCulture, $"<h2>Failures ({t.Failures:N0}{(t.Failures > status.Failures.Count ? $", first {status.Failures.Count} shown" : string.Empty)})</h2>\n");
        html.Append("<table id=\"failures\">\n<tr><th>Item</th><th>Kind</th><th>Reason</th></tr>\n");
        foreach (var failure in status.Failures)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(failure.ItemId)}</td><td>{E(failure.Kind)}</td><td>{E(failure.Reason)}</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void AppendReconciliation(StringBuilder html, SyncReconciliation reconciliation)
    {
        html.Append("<h2>Reconciliation</h2>\n<table id=\"reconciliation\">\n<tr><th>Space</th><th>Pages</th><th>Blog posts</th><th>Comments</th><th>Attachments</th><th>Records</th><th>Content</th><th>Comment docs</th><th>Attachment binaries</th><th>Differences</th><th>Points</th></tr>\n");
        foreach (var space in reconciliation.Spaces)
        {
            var c = space.Confluence;
            var r = space.RecordPoint;
            html.Append(CultureInfo.InvariantCulture, $"<tr data-space=\"{E(space.SpaceKey)}\"><td>{E(space.SpaceKey)}</td><td class=\"n\">{c.Pages:N0}</td><td class=\"n\">{c.BlogPosts:N0}</td><td class=\"n\">{c.Comments:N0}</td><td class=\"n\">{c.Attachments:N0}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"n\">{r.Records:N0}</td><td class=\"n\">{r.ContentBinaries:N0}</td><td class=\"n\">{r.CommentBinaries:N0}</td><td class=\"n\">{r.AttachmentBinaries:N0}</td><td class=\"n\">{space.Differences:N0}</td><td class=\"n\">{space.ConfluencePoints:N0}</td></tr>\n");
        }

        html.Append("</table>\n");
        if (reconciliation.SpacesExcludedByFilter > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">{reconciliation.SpacesExcludedByFilter:N0} space(s) excluded by the filter.</p>\n");
        }
    }

    private static void AppendRuns(StringBuilder html, IReadOnlyList<SyncRunSummary> runs)
    {
        if (runs.Count == 0)
        {
            return;
        }

        html.Append("<h2>Runs</h2>\n<table id=\"runs\">\n<tr><th>Instance</th><th>State</th><th>Created</th><th>Last update</th></tr>\n");
        foreach (var run in runs)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(run.InstanceId)}</td><td>{E(run.State)}</td><td>{run.CreatedAt:yyyy-MM-dd HH:mm:ss}</td><td>{run.LastUpdatedAt:yyyy-MM-dd HH:mm:ss}</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static string Elapsed(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h {t.Minutes:D2}m" : $"{t.Minutes}m {t.Seconds:D2}s";

    private static string E(string text) => ContentDocument.Escape(text);
}
