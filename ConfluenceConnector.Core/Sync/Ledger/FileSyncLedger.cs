using System.Collections.Concurrent;
using System.Text.Json;

namespace ConfluenceConnector.Core.Sync.Ledger;

/// <summary>
/// The embedded ledger for local runs: in memory, and appended as JSON lines to <c>Ledger:Path</c> when one is set so
/// that it survives restarts of the local runner (the last line of an item wins when the file is read back).
/// </summary>
public sealed class FileSyncLedger : ISyncLedger, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<(string Space, string Item), LedgerEntry> entries = new();
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly string? path;

    /// <summary>An in-memory ledger, or one kept in the JSON-lines file at <paramref name="path"/>.</summary>
    public FileSyncLedger(string? path)
    {
        this.path = string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path);
        if (this.path is not null && File.Exists(this.path))
        {
            foreach (var line in File.ReadLines(this.path))
            {
                if (TryRead(line) is { } record)
                {
                    entries[(record.SpaceId, record.Entry.ItemId)] = record.Entry;
                }
            }
        }
    }

    public Task<IReadOnlyDictionary<string, LedgerEntry>> GetAsync(string spaceId, IReadOnlyCollection<string> itemIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, LedgerEntry>(StringComparer.Ordinal);
        foreach (var id in itemIds)
        {
            if (entries.TryGetValue((spaceId, id), out var entry))
            {
                found[id] = entry;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, LedgerEntry>>(found);
    }

    public async Task SaveAsync(string spaceId, LedgerEntry entry, CancellationToken cancellationToken)
    {
        if (path is not null)
        {
            await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.AppendAllTextAsync(path, JsonSerializer.Serialize(new Line(spaceId, entry), Json) + "\n", cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                writeLock.Release();
            }
        }

        entries[(spaceId, entry.ItemId)] = entry;
    }

    public void Dispose() => writeLock.Dispose();

    /// <summary>A torn last line (the process stopped mid-write) is ignored: it only costs a re-submission.</summary>
    private static (string SpaceId, LedgerEntry Entry)? TryRead(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<Line>(line, Json) is { SpaceId: { } space, Entry: { ItemId: not null, Binaries: not null } entry } ? (space, entry) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Line(string SpaceId, LedgerEntry Entry);
}
