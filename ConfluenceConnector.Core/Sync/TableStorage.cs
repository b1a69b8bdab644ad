using Azure.Data.Tables;
using Azure.Identity;
using ConfluenceConnector.Core.Sync.Ledger;
using Microsoft.Extensions.Configuration;

namespace ConfluenceConnector.Core.Sync;

/// <summary>
/// The one choice of the Azure Table service the app keeps its run state in (the sync ledger and the site index):
/// <c>Ledger:TableServiceUri</c>, <c>Ledger:TableConnectionString</c>, or else the app's own storage
/// (<c>AzureWebJobsStorage:tableServiceUri</c> with its managed identity, or the <c>AzureWebJobsStorage</c> connection
/// string). None of them set means local runs with embedded stores.
/// </summary>
public static class TableStorage
{
    /// <summary>The configured table service, or null when the configuration names none.</summary>
    public static TableServiceClient? Service(IConfiguration configuration)
    {
        var options = configuration.GetSection(LedgerOptions.SectionName).Get<LedgerOptions>() ?? new LedgerOptions();
        var serviceUri = FirstSet(options.TableServiceUri, string.IsNullOrWhiteSpace(options.TableConnectionString) ? configuration["AzureWebJobsStorage:tableServiceUri"] : null);
        if (serviceUri is not null)
        {
            var clientId = configuration["AzureWebJobsStorage:clientId"];
            var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId });
            return new TableServiceClient(new Uri(serviceUri), credential);
        }

        var connectionString = FirstSet(options.TableConnectionString, configuration["AzureWebJobsStorage"]);
        return connectionString is null ? null : new TableServiceClient(connectionString);
    }

    private static string? FirstSet(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
