using System.Collections.Concurrent;
using ConfluenceConnector.Core.Sync.SiteIndex;

namespace ConfluenceConnector.Tests.Support;

/// <summary>
/// <see cref="ISiteIndex"/> in memory, as the contract says: rows filed by (run, content, kind, id), writing a row again
/// keeps one, content never filed reads as <see cref="ContentChildren.None"/>, a run's rows go at once. Every content
/// is complete (no size limit). Counts what was asked of it, so that tests can see the index used and deleted.
/// </summary>
internal sealed class InMemorySiteIndex : ISiteIndex
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<(string ContentId, ChildKind Kind, string Id), IndexedChild>> runs = new(StringComparer.Ordinal);
    private int reads;
    private int deletions;

    /// <summary>Runs that hold rows now.</summary>
    public IReadOnlyCollection<string> Runs => [.. runs.Where(r => !r.Value.IsEmpty).Select(r => r.Key)];

    /// <summary>Rows held for <paramref name="runId"/>.</summary>
    public int Count(string runId) => runs.TryGetValue(runId, out var rows) ? rows.Count : 0;

    /// <summary>Calls of <see cref="GetAsync"/>.</summary>
    public int Reads => Volatile.Read(ref reads);

    /// <summary>Calls of <see cref="DeleteRunAsync"/>.</summary>
    public int Deletions => Volatile.Read(ref deletions);

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
        Interlocked.Increment(ref reads);
        var rows = runs.TryGetValue(runId, out var held) ? held.Values.ToLookup(r => r.ContentId, StringComparer.Ordinal) : null;
        IReadOnlyDictionary<string, ContentChildren> result = contentIds.Distinct(StringComparer.Ordinal).ToDictionary(
            id => id,
            id => rows is not null && rows.Contains(id) ? ContentChildren.From(rows[id]) : ContentChildren.None,
            StringComparer.Ordinal);
        return Task.FromResult(result);
    }

    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref deletions);
        runs.TryRemove(runId, out _);
        return Task.CompletedTask;
    }
}
