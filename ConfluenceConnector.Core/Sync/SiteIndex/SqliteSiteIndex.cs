using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ConfluenceConnector.Core.Sync.SiteIndex;

/// <summary>
/// The site index of local runs: one SQLite database per run (<c>site-index-{runId}.db</c> in <paramref name="directory"/>),
/// one row per (content id, kind, id), opened as <see cref="SqliteDatabase"/> says; a run that filed nothing has no
/// file. Memory stays at the rows of the batch asked for.
/// </summary>
public sealed class SqliteSiteIndex(string directory) : ISiteIndex
{
    private readonly SqliteDatabase database = new("""
        CREATE TABLE IF NOT EXISTS children (
            content_id TEXT NOT NULL, kind INTEGER NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL,
            PRIMARY KEY (content_id, kind, id));
        """);

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
        database.Delete(DatabasePath(runId));
        return Task.CompletedTask;
    }

    private string DatabasePath(string runId) => Path.Combine(folder, $"site-index-{SiteIndexRunId.Require(runId)}.db");

    private Task<SqliteConnection> OpenAsync(string runId, CancellationToken cancellationToken) =>
        database.OpenAsync(DatabasePath(runId), cancellationToken);
}
