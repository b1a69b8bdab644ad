using ConfluenceConnector.Core.Sync;
using Microsoft.DurableTask.Client;

namespace ConfluenceConnector.Core.Operations;

/// <summary>
/// What the people who run the connector see of a full sync (the ops endpoint, its page and the local runner's
/// <c>status</c>): built from the orchestrations' own status and output, never from the built-in check-status payload.
/// </summary>
public sealed record SyncStatus(
    string InstanceId,
    string State,
    string? RunId,
    DateTimeOffset StartedAt,
    DateTimeOffset LastUpdatedAt,
    TimeSpan Elapsed,
    string? Phase,
    string? WaitingFor,
    SyncTotals Totals,
    double PagesPerMinute,
    IReadOnlyList<SpaceStatus> Spaces,
    IReadOnlyList<ItemFailure> Failures,
    IReadOnlyList<string> UnknownSpaceKeys,
    string? Error,
    SyncReconciliation? Reconciliation)
{
    /// <summary>
    /// When the run should end at its current pace, measured against the records the last completed run saw; null on a
    /// first run, before any progress, or once the run is done.
    /// </summary>
    public DateTimeOffset? EstimatedCompletion { get; init; }

    /// <summary>What an operator must do before the connector can go on (e.g. re-authorise), or null.</summary>
    public string? ActionNeeded { get; init; }

    /// <summary>Every failure message of the run: its error, its spaces' errors and its failures by id.</summary>
    public IEnumerable<string> FailureMessages =>
        new[] { Error }.Concat(Spaces.Select(s => s.Error)).OfType<string>().Concat(Failures.Select(f => f.Reason));

    /// <summary>Builds the status of a run from its report, as of <paramref name="now"/>.</summary>
    public static SyncStatus From(SyncReport report, DateTimeOffset now)
    {
        var result = report.Result;
        var running = report.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending;
        var startedAt = result?.StartedAt ?? report.CreatedAt;
        var endedAt = result?.CompletedAt ?? (running ? now : report.LastUpdatedAt);
        var elapsed = endedAt > startedAt ? endedAt - startedAt : TimeSpan.Zero;

        var totals = result?.Totals ?? report.Progress?.Totals ?? new SyncTotals();
        totals = totals with
        {
            Pages = totals.Pages + report.RunningSpaces.Sum(s => s.Pages),
            RecordsSubmitted = totals.RecordsSubmitted + report.RunningSpaces.Sum(s => s.Records),
            Failures = totals.Failures + report.RunningSpaces.Sum(s => s.Failures),
        };

        var spaces = report.Spaces
            .Select(s => new SpaceStatus(s.SpaceId, s.SpaceKey, s.SpaceName, s.Status.ToString(), s.Pages, s.RecordsSubmitted + s.RecordsUnchanged, s.Binaries, s.Failures, s.Error, null))
            .Concat(report.RunningSpaces.Select(s => new SpaceStatus(null, s.SpaceKey, null, "Running", s.Pages, s.Records, null, s.Failures, null, s.WaitingFor)))
            .OrderBy(s => s.State == "Running" ? 0 : 1)
            .ThenBy(s => s.SpaceKey, StringComparer.OrdinalIgnoreCase)
            .ToList();

        var perMinute = elapsed.TotalMinutes >= 1.0 / 60 ? Math.Round(totals.Pages / elapsed.TotalMinutes, 1) : 0;
        var recordsDone = totals.Pages + totals.BlogPosts;
        DateTimeOffset? eta = running && report.ExpectedRecords is { } expected && recordsDone > 0 && elapsed > TimeSpan.Zero
            ? now + (elapsed / recordsDone * Math.Max(0, expected - recordsDone))
            : null;
        var state = result is not null ? result.Outcome.ToString() : report.RuntimeStatus.ToString();
        var phase = running ? report.Progress?.Phase : null;
        var waitingFor = phase is not null && phase.StartsWith(FullSyncProgress.WaitingPrefix, StringComparison.Ordinal)
            ? phase[FullSyncProgress.WaitingPrefix.Length..]
            : string.Join("; ", report.RunningSpaces.Select(s => s.WaitingFor).OfType<string>().Distinct()) is { Length: > 0 } spacesWait ? spacesWait : null;
        return new SyncStatus(
            report.InstanceId,
            state,
            result?.RunId ?? report.Progress?.RunId,
            startedAt,
            report.LastUpdatedAt,
            elapsed,
            phase,
            waitingFor,
            totals,
            perMinute,
            spaces,
            result?.FailureSamples ?? [],
            result?.UnknownSpaceKeys ?? [],
            report.FailureMessage,
            result is null ? null : Sync.Reconciliation.For(report))
        {
            EstimatedCompletion = eta,
        };
    }
}

/// <summary>One space of a run: finished (with its result) or under way (with its progress so far).</summary>
public sealed record SpaceStatus(
    string? SpaceId,
    string SpaceKey,
    string? SpaceName,
    string State,
    int Pages,
    int Records,
    int? Binaries,
    int Failures,
    string? Error,
    string? WaitingFor);
