using System.Collections.Concurrent;
using ConfluenceConnector.Core.Sync.SiteIndex;

namespace ConfluenceConnector.Cli.Engine;

/// <summary>
/// TEMPORARY: the local runner's <see cref="ISiteIndex"/> until the SQLite store is registered in its place. Holds each
/// run's rows in this process's memory (so a SiteWide run on the Azure Storage engine cannot move to another runner).
/// </summary>
internal sealed class TemporaryInMemorySiteIndex : ISiteIndex
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<(string, ChildKind, string), IndexedChild>> runs = new(StringComparer.Ordinal);

    public Task AddAsync(string runId, IReadOnlyCollection<IndexedChild> children, CancellationToken cancellationToken)
    {
        var rows = runs.GetOrAdd(runId, _ => new());
        foreach (var child in children)
        {
            rows[(child.ContentId, child.Kind, child.Id)] = child;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, ContentChildren>> GetAsync(string runId, IReadOnlyCollection<string> contentIds, CancellationToken cancellationToken)
    {
        var rows = runs.TryGetValue(runId, out var held) ? held.Values.ToLookup(r => r.ContentId, StringComparer.Ordinal) : null;
        IReadOnlyDictionary<string, ContentChildren> result = contentIds.Distinct(StringComparer.Ordinal)
            .ToDictionary(id => id, id => rows is not null && rows.Contains(id) ? ContentChildren.From(rows[id]) : ContentChildren.None, StringComparer.Ordinal);
        return Task.FromResult(result);
    }

    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken)
    {
        runs.TryRemove(runId, out _);
        return Task.CompletedTask;
    }
}
