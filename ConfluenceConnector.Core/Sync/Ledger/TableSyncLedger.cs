using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace ConfluenceConnector.Core.Sync.Ledger;

/// <summary>
/// The ledger in Azure Table storage (the Functions app's own storage account): PartitionKey = space id,
/// RowKey = item id, with the item version and the binaries' fingerprints as JSON.
/// </summary>
public sealed class TableSyncLedger(TableClient table) : ISyncLedger
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private int created;

    public async Task<IReadOnlyDictionary<string, LedgerEntry>> GetAsync(string spaceId, IReadOnlyCollection<string> itemIds, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var found = new Dictionary<string, LedgerEntry>(StringComparer.Ordinal);
        foreach (var id in itemIds)
        {
            var response = await table.GetEntityIfExistsAsync<TableEntity>(spaceId, id, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (response.HasValue && response.Value is { } entity
                && entity.GetInt32("Version") is { } version
                && JsonSerializer.Deserialize<Dictionary<string, string>>(entity.GetString("Binaries") ?? "{}", Json) is { } binaries)
            {
                found[id] = new LedgerEntry(id, version, binaries, entity.GetString("RunId"), entity.GetInt32("Comments"));
            }
        }

        return found;
    }

    public async Task SaveAsync(string spaceId, LedgerEntry entry, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(spaceId, entry.ItemId)
        {
            ["Version"] = entry.Version,
            ["Binaries"] = JsonSerializer.Serialize(entry.Binaries, Json),
            ["RunId"] = entry.RunId,
            ["Comments"] = entry.Comments,
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref created) == 0)
        {
            try
            {
                await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Created by another worker in the meantime.
            }

            Volatile.Write(ref created, 1);
        }
    }
}
