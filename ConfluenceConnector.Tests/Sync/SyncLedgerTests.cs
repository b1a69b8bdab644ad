using ConfluenceConnector.Core.Sync.Ledger;
using Microsoft.Extensions.Configuration;

namespace ConfluenceConnector.Tests.Sync;

public sealed class SyncLedgerTests
{
    private static readonly LedgerEntry Entry = new("65601", 3, new Dictionary<string, string> { ["65601-content"] = "abc", ["att1"] = "v1/10/f" });

    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build();

    [Fact]
    public async Task The_file_ledger_survives_a_restart_and_the_last_entry_of_an_item_wins()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ledger-{Guid.NewGuid():N}.jsonl");
        try
        {
            using (var ledger = new FileSyncLedger(path))
            {
                await ledger.SaveAsync("98304", Entry, CancellationToken.None);
                await ledger.SaveAsync("98304", Entry with { Version = 4, RunId = "a1b2c3d4e5f6", Comments = 7 }, CancellationToken.None);
                await ledger.SaveAsync("98305", Entry with { ItemId = "65700" }, CancellationToken.None);
            }

            await File.AppendAllTextAsync(path, "{\"spaceId\":\"98304\",\"entry\":{\"itemId\":\"65601\",\"vers");
            using var reopened = new FileSyncLedger(path);

            var found = await reopened.GetAsync("98304", ["65601", "65700", "missing"], CancellationToken.None);

            var entry = Assert.Single(found).Value;
            Assert.Equal(4, entry.Version);
            Assert.Equal(Entry.Binaries, entry.Binaries);
            Assert.Equal("a1b2c3d4e5f6", entry.RunId);
            Assert.Equal(7, entry.Comments);
            Assert.Single(await reopened.GetAsync("98305", ["65700"], CancellationToken.None));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Without_a_path_the_ledger_is_kept_in_memory_only()
    {
        using var ledger = new FileSyncLedger(null);
        await ledger.SaveAsync("98304", Entry, CancellationToken.None);

        Assert.Single(await ledger.GetAsync("98304", ["65601"], CancellationToken.None));
        Assert.Empty(await new FileSyncLedger(null).GetAsync("98304", ["65601"], CancellationToken.None));
    }

    [Fact]
    public void Configuration_chooses_the_ledger_store()
    {
        Assert.IsType<FileSyncLedger>(LedgerOptions.Create(Config()));
        Assert.IsType<FileSyncLedger>(LedgerOptions.Create(Config(("Ledger:Path", "ledger.jsonl"))));
        Assert.IsType<TableSyncLedger>(LedgerOptions.Create(Config(("Ledger:TableConnectionString", "UseDevelopmentStorage=true"))));
        Assert.IsType<TableSyncLedger>(LedgerOptions.Create(Config(("AzureWebJobsStorage", "UseDevelopmentStorage=true"))));
        Assert.IsType<TableSyncLedger>(LedgerOptions.Create(Config(("AzureWebJobsStorage:tableServiceUri", "https://acct.table.core.windows.net"))));
        Assert.IsType<TableSyncLedger>(LedgerOptions.Create(Config(("Ledger:TableServiceUri", "https://acct.table.core.windows.net"))));
    }
}
