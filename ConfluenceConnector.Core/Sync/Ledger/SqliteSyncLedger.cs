using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ConfluenceConnector.Core.Sync.Ledger;

/// <summary>
/// The embedded ledger of local runs: a SQLite database (<see cref="SqliteDatabase"/>), one row per (space id, item
/// id) with the entry as JSON. At <c>Ledger:Path</c> when one is set, so that it survives restarts of the local runner;
/// otherwise in a temporary file deleted when the ledger is disposed. Either way memory stays at the entries of the batch
/// asked for, whatever the size of the site.
/// </summary>
public sealed class SqliteSyncLedger : ISyncLedger, IDisposable
{
    private readonly SqliteDatabase database = new("""
        CREATE TABLE IF NOT EXISTS entries (
            space_id TEXT NOT NULL, item_id TEXT NOT NULL, json TEXT NOT NULL,
            PRIMARY KEY (space_id, item_id)) WITHOUT ROWID;
        """);

    /// <summary>SQLite's answer to a file that is not one of its databases.</summary>
    private const int NotADatabase = 26;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string path;
    private readonly bool temporary;

    /// <summary>A ledger kept at <paramref name="path"/>, or in a temporary file when it is null or blank.</summary>
    public SqliteSyncLedger(string? path)
    {
        temporary = string.IsNullOrWhiteSpace(path);
        this.path = temporary
            ? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "confluence-connector", $"ledger-{Guid.NewGuid():N}.db")
            : System.IO.Path.GetFullPath(path!);
    }

    /// <summary>The database file.</summary>
    public string Path => path;

    public async Task<IReadOnlyDictionary<string, LedgerEntry>> GetAsync(string spaceId, IReadOnlyCollection<string> itemIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, LedgerEntry>(StringComparer.Ordinal);
        if (itemIds.Count == 0)
        {
            return found;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT item_id, json FROM entries WHERE space_id = $space AND item_id IN (SELECT value FROM json_each($ids))";
        query.Parameters.Add("$space", SqliteType.Text).Value = spaceId;
        query.Parameters.Add("$ids", SqliteType.Text).Value = JsonSerializer.Serialize(itemIds);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (JsonSerializer.Deserialize<LedgerEntry>(reader.GetString(1), Json) is { Binaries: not null } entry)
            {
                found[reader.GetString(0)] = entry;
            }
        }

        return found;
    }

    public async Task SaveAsync(string spaceId, LedgerEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var upsert = connection.CreateCommand();
        upsert.CommandText = "INSERT OR REPLACE INTO entries (space_id, item_id, json) VALUES ($space, $item, $json)";
        upsert.Parameters.Add("$space", SqliteType.Text).Value = spaceId;
        upsert.Parameters.Add("$item", SqliteType.Text).Value = entry.ItemId;
        upsert.Parameters.Add("$json", SqliteType.Text).Value = JsonSerializer.Serialize(entry, Json);
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the file; the temporary file of a ledger without <c>Ledger:Path</c> is deleted, a ledger at a path stays.</summary>
    public void Dispose()
    {
        if (temporary)
        {
            database.Delete(path);
        }
        else
        {
            database.Close(path);
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await database.OpenAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == NotADatabase)
        {
            throw new InvalidOperationException(
                $"Ledger:Path {path} is not a SQLite database (before this version the local ledger was a JSON-lines file): point Ledger:Path at a new file, or delete this one. Losing the ledger only costs re-submissions.",
                e);
        }
    }
}
