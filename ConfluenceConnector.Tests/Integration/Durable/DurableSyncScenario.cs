using System.Diagnostics;
using System.Text;
using ConfluenceConnector.Cli.Engine;
using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Simulators.Confluence;
using ConfluenceConnector.Simulators.RecordPoint;
using ConfluenceConnector.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace ConfluenceConnector.Tests.Integration.Durable;

/// <summary>
/// One full-sync scenario on the Azure Storage engine: a generated site with comments and attachments behind the
/// Confluence simulator, the RecordPoint simulator, a task hub of its own on Azurite, and the settings a runner
/// process gets. The expected end state comes from a clean run of the same site on the in-memory engine.
/// </summary>
internal sealed class DurableSyncScenario : IAsyncDisposable
{
    private DurableSyncScenario(AzuriteFixture azurite, ConfluenceSite site, ConfluenceSimulator confluence, RecordPointSimulator recordPoint, string taskHub)
    {
        Azurite = azurite;
        Site = site;
        Confluence = confluence;
        RecordPoint = recordPoint;
        TaskHub = taskHub;
    }

    public AzuriteFixture Azurite { get; }

    public ConfluenceSite Site { get; }

    public ConfluenceSimulator Confluence { get; }

    public RecordPointSimulator RecordPoint { get; }

    public string TaskHub { get; }

    public static ConfluenceSite NewSite(int spaces, int pagesPerSpace) => ConfluenceSiteGenerator.Generate(new SiteSpec
    {
        Seed = 11,
        Spaces = spaces,
        PagesPerSpace = pagesPerSpace,
        PersonalSpaces = 0,
        ArchivedSpaces = 0,
        MaxBodyBytes = 2000,
        MaxAttachmentBytes = 8 * 1024,
        FooterCommentsPerPage = 1.0,
        AttachmentsPerPage = 1.0,
        BlogPostsPerSpace = 2,
    });

    public static async Task<DurableSyncScenario> StartAsync(AzuriteFixture azurite, ConfluenceSite site) =>
        new(azurite, site, await ConfluenceSimulator.StartAsync(site), await RecordPointSimulator.StartAsync(), "T" + Guid.NewGuid().ToString("N")[..20]);

    /// <summary>The settings of a runner on this scenario's task hub, reaching RecordPoint at <paramref name="recordPoint"/> (this scenario's simulator by default).</summary>
    public Dictionary<string, string?> Settings(Uri? recordPoint = null) => new()
    {
        ["Confluence:Domain"] = "acme",
        ["Confluence:BaseUrl"] = Confluence.BaseUrl.ToString(),
        ["Confluence:AuthMode"] = "Basic",
        ["Confluence:Email"] = Confluence.Options.Email,
        ["Confluence:ApiToken"] = Confluence.Options.ApiToken,
        ["RecordPoint:ApiUrl"] = (recordPoint ?? RecordPoint.BaseUrl).ToString(),
        ["RecordPoint:AuthMode"] = "None",
        ["RecordPoint:ConnectorId"] = "c1",
        ["Sync:PageSize"] = "5",

        // The ledger and the site index in the scenario's storage, as the Functions app keeps them: every runner
        // process sees one ledger and one run's site index (one table per run, dropped when the run ends).
        ["Ledger:TableConnectionString"] = Azurite.ConnectionString,
        ["Sync:MaxParallelSpaces"] = "2",
        ["Sync:SubmitConcurrency"] = "2",
        ["Sync:ActivityMaxAttempts"] = "3",
        ["Sync:ActivityFirstRetryInterval"] = "00:00:01",
        ["Engine:Backend"] = "AzureStorage",
        ["Engine:StorageConnectionString"] = Azurite.ConnectionString,
        ["Engine:TaskHub"] = TaskHub,
        ["Engine:WorkItemVisibilityTimeout"] = "00:00:10",
        ["Engine:MaxActivities"] = "4",
    };

    /// <summary>Starts a runner process of <c>sync</c> on this scenario, running at most <paramref name="maxActivities"/> activities at once.</summary>
    public RunnerProcess StartRunner(Uri? recordPoint = null, int maxActivities = 4)
    {
        var settings = Settings(recordPoint);
        settings["Engine:MaxActivities"] = maxActivities.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return RunnerProcess.Start("sync", settings);
    }

    /// <summary>The full sync as the task hub holds it, read by a client that runs no work.</summary>
    public async Task<SyncReport?> ReadHubAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings()).Build();
        await using var host = await LocalConnectorHost.StartClientAsync(configuration, CancellationToken.None);
        return await SyncReportReader.ReadAsync(host.Client, SyncStarter.FullSyncInstanceId, includeSpaces: true, CancellationToken.None);
    }

    /// <summary>What a clean, uninterrupted sync of <paramref name="site"/> leaves in RecordPoint (in-memory engine).</summary>
    public static async Task<ExpectedRecords> ExpectedAsync(ConfluenceSite site)
    {
        await using var harness = await SyncHarness.StartAsync(site);
        var report = await harness.RunFullSyncAsync();
        Assert.Equal(SyncOutcome.Completed, report.Result!.Outcome);
        return ExpectedRecords.Of(harness.RecordPoint.Store, harness.Confluence.BaseUrl);
    }

    /// <summary>Polls <paramref name="condition"/> every 50 ms until it holds; fails after <paramref name="timeout"/> with <paramref name="what"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Not reached within {timeout}: {what()}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Confluence.DisposeAsync();
        await RecordPoint.DisposeAsync();
    }
}

/// <summary>RecordPoint's end state that matters: each aggregation, item (with its version) and binary, by external id.</summary>
internal sealed record ExpectedRecords(IReadOnlyList<string> Aggregations, IReadOnlyList<string> Items, IReadOnlyList<string> Binaries, IReadOnlyDictionary<string, byte[]> Contents)
{
    /// <summary>
    /// The store's records and binaries. Documents name the Confluence simulator they were read from (its loopback
    /// address differs per run), so each of <paramref name="confluenceBaseUrls"/> is replaced by one placeholder.
    /// </summary>
    public static ExpectedRecords Of(RecordPointStore store, params Uri[] confluenceBaseUrls) => new(
        [.. store.Aggregations.Select(a => a.ExternalId).Order(StringComparer.Ordinal)],
        [.. store.Items.Select(i => $"{i.ExternalId} v{i.ContentVersion}").Order(StringComparer.Ordinal)],
        [.. store.Binaries.Select(b => $"{b.ItemExternalId}/{b.BinaryExternalId}").Order(StringComparer.Ordinal)],
        store.Binaries.ToDictionary(b => $"{b.ItemExternalId}/{b.BinaryExternalId}", b => Normalize(b.Content, confluenceBaseUrls)));

    private static byte[] Normalize(byte[] content, Uri[] confluenceBaseUrls)
    {
        var text = Encoding.UTF8.GetString(content);
        if (!Encoding.UTF8.GetBytes(text).AsSpan().SequenceEqual(content))
        {
            return content;
        }

        foreach (var url in confluenceBaseUrls)
        {
            text = text.Replace(url.GetLeftPart(UriPartial.Authority), "{confluence}", StringComparison.Ordinal);
        }

        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>Exactly these records and binaries, byte for byte, each item and binary submitted once (no duplicate versions).</summary>
    public void AssertHeldExactlyOnceBy(RecordPointStore store, params Uri[] confluenceBaseUrls)
    {
        var actual = Of(store, confluenceBaseUrls);
        var differing = Contents.Where(c => actual.Contents.TryGetValue(c.Key, out var held) && !held.AsSpan().SequenceEqual(c.Value)).Select(c => c.Key).ToList();

        Assert.Equal(Aggregations, actual.Aggregations);
        Assert.Equal(Items, actual.Items);
        Assert.Equal(Binaries, actual.Binaries);
        Assert.True(differing.Count == 0, string.Join("\n", differing.Select(key =>
            $"{key} differs:\n{Encoding.UTF8.GetString(Contents[key])}\n--- held:\n{Encoding.UTF8.GetString(actual.Contents[key])}")));
        Assert.All(store.Items, i => Assert.Equal(1, i.Versions));
        Assert.All(store.Binaries, b => Assert.Equal(1, b.Versions));
        Assert.All(store.Aggregations, a => Assert.Equal(1, a.Versions));
    }
}
