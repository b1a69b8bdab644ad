using Microsoft.Extensions.Configuration;

namespace ConfluenceConnector.Core.Sync.Ledger;

/// <summary>
/// Settings under <c>Ledger:</c>. The ledger lives in Azure Table storage when a table endpoint is known
/// (<c>Ledger:TableServiceUri</c>, <c>Ledger:TableConnectionString</c>, or else the app's own storage:
/// <c>AzureWebJobsStorage:tableServiceUri</c> with its managed identity, or the <c>AzureWebJobsStorage</c> connection
/// string); otherwise it is embedded: a SQLite file at <c>Ledger:Path</c>, or a temporary one when none is set.
/// </summary>
public sealed class LedgerOptions
{
    public const string SectionName = "Ledger";

    /// <summary>SQLite file of the embedded ledger (local runs); empty = a temporary file, gone when the runner stops.</summary>
    public string? Path { get; set; }

    /// <summary>Table service endpoint of the ledger and the site index, e.g. https://account.table.core.windows.net (managed identity).</summary>
    public string? TableServiceUri { get; set; }

    /// <summary>Storage connection string of the ledger and the site index (e.g. UseDevelopmentStorage=true for Azurite).</summary>
    public string? TableConnectionString { get; set; }

    /// <summary>Table name (letters and digits).</summary>
    public string TableName { get; set; } = "ConfluenceSyncLedger";

    /// <summary>Builds the ledger the configuration asks for: a table when <see cref="TableStorage"/> names a service.</summary>
    public static ISyncLedger Create(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<LedgerOptions>() ?? new LedgerOptions();
        return TableStorage.Service(configuration) is { } service
            ? new TableSyncLedger(service.GetTableClient(options.TableName))
            : new SqliteSyncLedger(options.Path);
    }
}
