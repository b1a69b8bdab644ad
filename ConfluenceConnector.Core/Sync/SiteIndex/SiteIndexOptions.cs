using Microsoft.Extensions.Configuration;

namespace ConfluenceConnector.Core.Sync.SiteIndex;

/// <summary>
/// Settings under <c>SiteIndex:</c>: where a SiteWide run files its listings. In Azure Table storage (one table per
/// run) whenever <see cref="TableStorage"/> names a table service, as the ledger does; otherwise in SQLite files
/// (one per run) in the folder <c>SiteIndex:Path</c>, which every runner of one engine must share.
/// </summary>
public sealed class SiteIndexOptions
{
    public const string SectionName = "SiteIndex";

    /// <summary>Folder of the embedded (SQLite) site index; empty = <c>confluence-connector/site-index</c> in the temp folder.</summary>
    public string? Path { get; set; }

    /// <summary>The folder used when <see cref="Path"/> is not set.</summary>
    public static string DefaultPath => System.IO.Path.Combine(System.IO.Path.GetTempPath(), "confluence-connector", "site-index");

    /// <summary>Builds the site index the configuration asks for.</summary>
    public static ISiteIndex Create(IConfiguration configuration)
    {
        if (TableStorage.Service(configuration) is { } service)
        {
            return new TableSiteIndex(service);
        }

        var options = configuration.GetSection(SectionName).Get<SiteIndexOptions>() ?? new SiteIndexOptions();
        return new SqliteSiteIndex(string.IsNullOrWhiteSpace(options.Path) ? DefaultPath : options.Path);
    }
}
