using ConfluenceConnector.Core.Sync.SiteIndex;

namespace ConfluenceConnector.Tests.Support;

/// <summary>
/// The local runner's real site index (<see cref="SqliteSiteIndex"/>) in a folder of the test's own, counting what was
/// asked of it, so that tests can see the index used and deleted.
/// </summary>
internal sealed class RecordingSiteIndex : ISiteIndex, IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "site-index-tests-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteSiteIndex inner;
    private int reads;
    private int deletions;

    public RecordingSiteIndex() => inner = new SqliteSiteIndex(folder);

    /// <summary>Runs whose database exists now.</summary>
    public IReadOnlyCollection<string> Runs =>
        Directory.Exists(folder) ? [.. Directory.EnumerateFiles(folder, "site-index-*.db").Select(Path.GetFileNameWithoutExtension).OfType<string>()] : [];

    /// <summary>Calls of <see cref="GetAsync"/>.</summary>
    public int Reads => Volatile.Read(ref reads);

    /// <summary>Calls of <see cref="DeleteRunAsync"/>.</summary>
    public int Deletions => Volatile.Read(ref deletions);

    public Task AddAsync(string runId, IReadOnlyCollection<IndexedChild> children, CancellationToken cancellationToken) =>
        inner.AddAsync(runId, children, cancellationToken);

    public Task<IReadOnlyDictionary<string, ContentChildren>> GetAsync(string runId, IReadOnlyCollection<string> contentIds, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref reads);
        return inner.GetAsync(runId, contentIds, cancellationToken);
    }

    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref deletions);
        return inner.DeleteRunAsync(runId, cancellationToken);
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
