using System.Collections.Concurrent;
using System.Text;
using Azure;
using Azure.Data.Tables;

namespace ConfluenceConnector.Core.Sync.SiteIndex;

/// <summary>
/// The site index in Azure Table storage (the Functions app's own account): one table per run
/// (<c>ConfluenceIndex{runId}</c>, so deleting a run is one table delete), PartitionKey = content id,
/// RowKey = <c>{kind}-{id}</c>, the JSON split over string properties <c>Payload0</c>, <c>Payload1</c>, ... of at most
/// <see cref="PartChars"/> characters. An object too large for one entity (1 MiB) is not kept: the content gets a
/// marker row instead, and reads report it incomplete.
/// </summary>
public sealed class TableSiteIndex(TableServiceClient service) : ISiteIndex
{
    /// <summary>Characters per payload property (a string property holds 64 KiB of UTF-16).</summary>
    public const int PartChars = 32_000;

    /// <summary>The table name before the run id.</summary>
    public const string TablePrefix = "ConfluenceIndex";

    /// <summary>The stored size (UTF-16, as Table storage counts it) an entity may reach, under the 1 MiB limit.</summary>
    internal const int MaxEntityBytes = 1_000_000;

    /// <summary>The RowKey of the row saying that some object of the content was too large to keep.</summary>
    internal const string IncompleteRowKey = "Incomplete";

    /// <summary>Request bytes one transaction may carry, under the service's 4 MiB per batch.</summary>
    private const int MaxTransactionBytes = 3_000_000;

    /// <summary>Actions per transaction (the service's limit).</summary>
    private const int MaxTransactionActions = 100;

    /// <summary>Partitions written or read at once by one call.</summary>
    private const int Parallelism = 16;

    private readonly ConcurrentDictionary<string, byte> created = new(StringComparer.Ordinal);

    /// <summary>The table of a run.</summary>
    public static string TableName(string runId) => TablePrefix + SiteIndexRunId.Require(runId);

    public async Task AddAsync(string runId, IReadOnlyCollection<IndexedChild> children, CancellationToken cancellationToken)
    {
        if (children.Count == 0)
        {
            return;
        }

        var table = service.GetTableClient(TableName(runId));
        await EnsureTableAsync(runId, table, cancellationToken).ConfigureAwait(false);
        var transactions = children
            .GroupBy(c => c.ContentId, StringComparer.Ordinal)
            .SelectMany(partition => Transactions(partition.Key, partition));
        await Parallel.ForEachAsync(
            transactions,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (actions, token) =>
            {
                if (actions.Count == 1)
                {
                    await table.UpsertEntityAsync(actions[0].Entity, TableUpdateMode.Replace, token).ConfigureAwait(false);
                }
                else
                {
                    await table.SubmitTransactionAsync(actions, token).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<string, ContentChildren>> GetAsync(string runId, IReadOnlyCollection<string> contentIds, CancellationToken cancellationToken)
    {
        var table = service.GetTableClient(TableName(runId));
        var found = new ConcurrentDictionary<string, ContentChildren>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            contentIds.Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (contentId, token) => found[contentId] = await ReadAsync(table, contentId, token).ConfigureAwait(false)).ConfigureAwait(false);
        return found;
    }

    public async Task DeleteRunAsync(string runId, CancellationToken cancellationToken)
    {
        var name = TableName(runId);
        created.TryRemove(runId, out _);
        try
        {
            await service.DeleteTableAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone, or never created.
        }
    }

    /// <summary>Escapes what a key may not hold (<c>/ \ # ?</c>, control characters) and the escape character itself.</summary>
    internal static string Key(string value)
    {
        var key = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
            {
                key.Append('%').Append(((int)c).ToString("X2"));
            }
            else
            {
                key.Append(c);
            }
        }

        return key.ToString();
    }

    /// <summary>
    /// The content's rows as entities in transactions (a row given twice is written once, the last), with a marker
    /// in place of any that would exceed an entity.
    /// </summary>
    private static IEnumerable<List<TableTransactionAction>> Transactions(string contentId, IEnumerable<IndexedChild> children)
    {
        var partitionKey = Key(contentId);
        var entities = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        foreach (var child in children)
        {
            var entity = ToEntity(partitionKey, child) ?? new TableEntity(partitionKey, IncompleteRowKey);
            entities[entity.RowKey] = entity;
        }

        var batch = new List<TableTransactionAction>();
        var batchBytes = 0L;
        foreach (var entity in entities.Values)
        {
            var bytes = RequestBytes(entity);
            if (batch.Count == MaxTransactionActions || (batch.Count > 0 && batchBytes + bytes > MaxTransactionBytes))
            {
                yield return batch;
                batch = [];
                batchBytes = 0;
            }

            batch.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity));
            batchBytes += bytes;
        }

        yield return batch;
    }

    private static TableEntity? ToEntity(string partitionKey, IndexedChild child)
    {
        var entity = new TableEntity(partitionKey, Key($"{child.Kind}-{child.Id}"))
        {
            ["Kind"] = child.Kind.ToString(),
            ["Id"] = child.Id,
        };
        var start = 0;
        for (var part = 0; start < child.Json.Length; part++)
        {
            var length = Math.Min(PartChars, child.Json.Length - start);
            if (start + length < child.Json.Length && char.IsHighSurrogate(child.Json[start + length - 1]))
            {
                length--;
            }

            entity[$"Payload{part}"] = child.Json.Substring(start, length);
            start += length;
        }

        return StoredBytes(entity) <= MaxEntityBytes ? entity : null;
    }

    private static async Task<ContentChildren> ReadAsync(TableClient table, string contentId, CancellationToken cancellationToken)
    {
        var rows = new List<IndexedChild>();
        var complete = true;
        try
        {
            await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Key(contentId)}"), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (entity.RowKey == IncompleteRowKey)
                {
                    complete = false;
                }
                else
                {
                    rows.Add(new IndexedChild(contentId, Enum.Parse<ChildKind>(entity.GetString("Kind")), entity.GetString("Id"), Payload(entity)));
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The run's table does not exist: nothing was filed, or the run was deleted.
        }

        return rows.Count == 0 && complete ? ContentChildren.None : ContentChildren.From(rows, complete);
    }

    private static string Payload(TableEntity entity)
    {
        var json = new StringBuilder();
        for (var part = 0; entity.GetString($"Payload{part}") is { } text; part++)
        {
            json.Append(text);
        }

        return json.ToString();
    }

    /// <summary>An entity's size as Table storage counts it: 4 bytes, the keys and the string properties in UTF-16.</summary>
    private static long StoredBytes(TableEntity entity) =>
        4 + (2L * (entity.PartitionKey.Length + entity.RowKey.Length))
        + entity.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "odata.etag" or "Timestamp"))
            .Sum(p => 8 + (2L * p.Key.Length) + 4 + (2L * ((p.Value as string)?.Length ?? 8)));

    /// <summary>A bound on the entity's JSON in a request: characters the serializer escapes take six bytes.</summary>
    private static long RequestBytes(TableEntity entity) =>
        1_000 + entity.Sum(p => p.Key.Length + 8 + (p.Value is string text ? EscapedBytes(text) : 32));

    private static long EscapedBytes(string text)
    {
        var bytes = 0L;
        foreach (var c in text)
        {
            bytes += c is >= ' ' and < '\u007f' and not ('"' or '\\' or '<' or '>' or '&' or '\'' or '+' or '`') ? 1 : 6;
        }

        return bytes;
    }

    private async Task EnsureTableAsync(string runId, TableClient table, CancellationToken cancellationToken)
    {
        if (created.ContainsKey(runId))
        {
            return;
        }

        try
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Created by another worker in the meantime.
        }

        created.TryAdd(runId, 0);
    }
}
