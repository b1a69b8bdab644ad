using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace ConfluenceConnector.Core.Sync;

/// <summary>
/// The embedded stores' SQLite files (the local ledger and the local site index): pooled connections, one per call, so
/// parallel activities read and write at once (writers take turns, waiting up to the busy timeout); WAL journal and
/// <c>synchronous = NORMAL</c> (a commit survives a crash of the process; a power cut may lose the last ones, which
/// only costs work done again). A store's first open of a file creates its folder and runs the store's schema
/// (<paramref name="schema"/>, idempotent DDL).
/// </summary>
internal sealed class SqliteDatabase(string schema)
{
    /// <summary>How long a call waits for another writer's transaction before it fails.</summary>
    private const int BusyTimeoutSeconds = 60;

    private readonly ConcurrentDictionary<string, byte> prepared = new(StringComparer.Ordinal);

    /// <summary>Opens <paramref name="path"/>, creating it and its tables on the first call for it.</summary>
    public async Task<SqliteConnection> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var first = !prepared.ContainsKey(path);
        if (first)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }

        var connection = new SqliteConnection(ConnectionString(path));
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var setup = connection.CreateCommand();
            setup.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000}; PRAGMA synchronous = NORMAL;";
            await setup.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (first)
            {
                setup.CommandText = "PRAGMA journal_mode = WAL;" + schema;
                await setup.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                prepared.TryAdd(path, 0);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Closes the pooled connections of <paramref name="path"/> (the last one to close checkpoints and removes the WAL).</summary>
    public void Close(string path)
    {
        prepared.TryRemove(path, out _);
        using var connection = new SqliteConnection(ConnectionString(path));
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>Closes <paramref name="path"/> and deletes it with its journal files.</summary>
    public void Delete(string path)
    {
        Close(path);
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            File.Delete(file);
        }
    }

    private static string ConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = BusyTimeoutSeconds,
    }.ToString();
}
