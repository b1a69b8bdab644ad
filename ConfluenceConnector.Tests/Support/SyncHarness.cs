using ConfluenceConnector.Cli.Engine;
using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Core.Sync.SiteIndex;
using ConfluenceConnector.Simulators.Confluence;
using ConfluenceConnector.Simulators.RecordPoint;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ConfluenceConnector.Tests.Support;

/// <summary>
/// Both simulators on real HTTP and the connector hosted on the in-process Durable Task engine, wired together
/// by settings exactly as a user would set them.
/// </summary>
internal sealed class SyncHarness : IAsyncDisposable
{
    private SyncHarness(ConfluenceSimulator confluence, RecordPointSimulator recordPoint, Dictionary<string, string?> settings)
    {
        Confluence = confluence;
        RecordPoint = recordPoint;
        Settings = settings;
    }

    public ConfluenceSimulator Confluence { get; }

    public RecordPointSimulator RecordPoint { get; }

    public Dictionary<string, string?> Settings { get; }

    /// <summary>The site index every host of this harness shares (what the run's site-wide listings filed).</summary>
    public RecordingSiteIndex SiteIndex { get; } = new();

    public static async Task<SyncHarness> StartAsync(ConfluenceSite site, RecordPointSimulatorOptions? recordPointOptions = null, ConfluenceSimulatorOptions? confluenceOptions = null)
    {
        var confluence = await ConfluenceSimulator.StartAsync(site, confluenceOptions);
        var recordPoint = await RecordPointSimulator.StartAsync(recordPointOptions);
        var settings = new Dictionary<string, string?>
        {
            ["Confluence:Domain"] = "acme",
            ["Confluence:BaseUrl"] = confluence.BaseUrl.ToString(),
            ["Confluence:AuthMode"] = "Basic",
            ["Confluence:Email"] = confluence.Options.Email,
            ["Confluence:ApiToken"] = confluence.Options.ApiToken,
            ["RecordPoint:ApiUrl"] = recordPoint.BaseUrl.ToString(),
            ["RecordPoint:AuthMode"] = "None",
            ["RecordPoint:ConnectorId"] = "connector-1",
            ["Sync:ActivityMaxAttempts"] = "2",
            ["Sync:ActivityFirstRetryInterval"] = "00:00:00.200",
        };
        return new SyncHarness(confluence, recordPoint, settings);
    }

    /// <summary>Hosts the connector with the current settings and runs one full sync to its end.</summary>
    public async Task<SyncReport> RunFullSyncAsync()
    {
        await using var host = await StartHostAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        return await host.RunFullSyncAsync(onProgress: null, timeout.Token);
    }

    /// <summary>Hosts the connector with the current settings on a fresh in-process engine.</summary>
    public Task<LocalConnectorHost> StartHostAsync() =>
        LocalConnectorHost.StartAsync(new ConfigurationBuilder().AddInMemoryCollection(Settings).Build(), services => services.AddSingleton<ISiteIndex>(SiteIndex), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Confluence.DisposeAsync();
        await RecordPoint.DisposeAsync();
        SiteIndex.Dispose();
    }
}
