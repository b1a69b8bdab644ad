using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ConfluenceConnector.Core.Sync.SiteIndex;

/// <summary>
/// The site index of local runs: one SQLite database per run (<c>site-index-{runId}.db</c> in <paramref name="directory"/>),
/// one row per (content id, kind, id), WAL journal; a run that filed nothing has no file. A connection per call from the provider's pool, so parallel
/// activities write and read at once (writers take turns, waiting up to the busy timeout); memory stays at the
/// rows of the batch asked for.
/// </summary>
public sealed class SqliteSiteIndex(string directory) : ISiteIndex
{
    /// <summary>How long a call waits for another writer's transaction before it fails.</summary>
    private const int BusyTimeoutSeconds = 60;

    private readonly ConcurrentDictionary<string, byte> prepared = new(StringComparer.Ordinal);

    private readonly string folder = Path.GetFullPath(directory);

    public async Task AddAsync(string runId, IReadOnlyCollection<IndexedChild> children, CancellationToken cancellationToken)
    {
        if (children.Count == 0)
        {
            return;
        }

        await using var connection = await OpenAsync(runId, cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT OR REPLACE INTO children (content_id, kind, id, json) VALUES ($content, $kind, $id, $json)";
        var content = insert.Parameters.Add("$content", SqliteType.Text);
        var kind = insert.Parameters.Add("$kind", SqliteType.Integer);
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var json = insert.Parameters.Add("$json", SqliteType.Text);
        foreach (var child in children)
        {
            content.Value = child.ContentId;
            kind.Value = (int)child.Kind;
            id.Value = child.Id;
            json.Value = child.Json;
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<string, ContentChildren>> GetAsync(string runId, IReadOnlyCollection<string> contentIds, CancellationToken cancellationToken)
    {
        var rows = contentIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, _ => new List<IndexedChild>(), StringComparer.Ordinal);
        if (rows.Count > 0 && File.Exists(DatabasePath(runId)))
        {
            await using var connection = await OpenAsync(runId, cancellationToken).ConfigureAwait(false);
            await using var query = connection.CreateCommand();
            query.CommandText = "SELECT content_id, kind, id, json FROM children WHERE content_id IN (SELECT value FROM json_each($ids))";
            query.Parameters.Add("$ids", SqliteType.Text).Value = JsonSerializer.Serialize(rows.Keys);
            await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var contentId = reader.GetString(0);
                rows[contentId].Add(new IndexedChild(contentId, (ChildKind)reader.GetInt32(1), reader.GetString(2), reader.GetString(3)));
            }
        }

        return rows.ToDictionary(r => r.Key, r => r.Value.Count == 0 ? ContentChildren.None : ContentChildren.From(r.Value), StringComparer.Ordinal);
    }

    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken)
    {
        var path = DatabasePath(runId);
        prepared.TryRemove(runId, out _);
        using (var connection = new SqliteConnection(ConnectionString(path)))
        {
            SqliteConnection.ClearPool(connection);
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            File.Delete(file);
        }

        return Task.CompletedTask;
    }

    private string DatabasePath(string runId) => Path.Combine(folder, $"site-index-{SiteIndexRunId.Require(runId)}.db");

    private static string ConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = BusyTimeoutSeconds,
    }.ToString();

    /// <summary>Opens the run's database; the first call of a run creates the folder, the file and the table.</summary>
    private async Task<SqliteConnection> OpenAsync(string runId, CancellationToken cancellationToken)
    {
        var path = DatabasePath(runId);
        var first = !prepared.ContainsKey(runId);
        if (first)
        {
            Directory.CreateDirectory(folder);
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
                setup.CommandText = """
                    PRAGMA journal_mode = WAL;
                    CREATE TABLE IF NOT EXISTS children (
                        content_id TEXT NOT NULL, kind INTEGER NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL,
                        PRIMARY KEY (content_id, kind, id));
                    """;
                await setup.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                prepared.TryAdd(runId, 0);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
