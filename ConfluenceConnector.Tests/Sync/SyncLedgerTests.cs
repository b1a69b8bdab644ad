using ConfluenceConnector.Core.Sync.Ledger;
using Microsoft.Extensions.Configuration;

namespace ConfluenceConnector.Tests.Sync;

public sealed class SyncLedgerTests
{
    private static readonly LedgerEntry Entry = new("65601", 3, new Dictionary<string, string> { ["65601-content"] = "abc", ["att1"] = "v1/10/f" });

    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build();

    [Fact]
    public async Task The_ledger_at_a_path_survives_a_restart_and_the_last_entry_of_an_item_wins()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ledger-{Guid.NewGuid():N}.db");
        try
        {
            using (var ledger = new SqliteSyncLedger(path))
            {
                await ledger.SaveAsync("98304", Entry, CancellationToken.None);
                await ledger.SaveAsync("98304", Entry with { Version = 4, RunId = "a1b2c3d4e5f6", Comments = 7 }, CancellationToken.None);
                await ledger.SaveAsync("98305", Entry with { ItemId = "65700" }, CancellationToken.None);
            }

            using var reopened = new SqliteSyncLedger(path);

            var found = await reopened.GetAsync("98304", ["65601", "65700", "missing"], CancellationToken.None);

            var entry = Assert.Single(found).Value;
            Assert.Equal(4, entry.Version);
            Assert.Equal(Entry.Binaries, entry.Binaries);
            Assert.Equal("a1b2c3d4e5f6", entry.RunId);
            Assert.Equal(7, entry.Comments);
            Assert.Single(await reopened.GetAsync("98305", ["65700"], CancellationToken.None));
            Assert.True(File.Exists(path));
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public async Task Without_a_path_the_ledger_is_a_temporary_file_of_its_own_deleted_when_it_is_disposed()
    {
        string file;
        using (var ledger = new SqliteSyncLedger(null))
        {
            using var other = new SqliteSyncLedger(" ");
            await ledger.SaveAsync("98304", Entry, CancellationToken.None);

            Assert.Single(await ledger.GetAsync("98304", ["65601"], CancellationToken.None));
            Assert.Empty(await other.GetAsync("98304", ["65601"], CancellationToken.None));
            file = ledger.Path;
            Assert.True(File.Exists(file));
        }

        Assert.False(File.Exists(file));
        Assert.False(File.Exists(file + "-wal"));
    }

    [Fact]
    public async Task A_ledger_path_that_is_not_a_sqlite_database_gets_an_error_naming_the_setting()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ledger-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllTextAsync(path, "{\"spaceId\":\"98304\",\"entry\":{\"itemId\":\"65601\",\"version\":3,\"binaries\":{}}}\n");
        try
        {
            using var ledger = new SqliteSyncLedger(path);

            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => ledger.GetAsync("98304", ["65601"], CancellationToken.None));

            Assert.Contains($"Ledger:Path {path} is not a SQLite database", e.Message);
            Assert.StartsWith("{\"spaceId\"", await File.ReadAllTextAsync(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Configuration_chooses_the_ledger_store()
    {
        Assert.IsType<SqliteSyncLedger>(LedgerOptions.Create(Config()));
        Assert.IsType<SqliteSyncLedger>(LedgerOptions.Create(Config(("Ledger:Path", "ledger.db"))));
        Assert.IsType<TableSyncLedger>(LedgerOptions.Create(Config(("Ledger:TableConnectionString", "UseDevelopmentStorage=true"))));
        Assert.IsType<TableSyncLedger>(LedgerOptions.Create(Config(("AzureWebJobsStorage", "UseDevelopmentStorage=true"))));
        Assert.IsType<TableSyncLedger>(LedgerOptions.Create(Config(("AzureWebJobsStorage:tableServiceUri", "https://acct.table.core.windows.net"))));
        Assert.IsType<TableSyncLedger>(LedgerOptions.Create(Config(("Ledger:TableServiceUri", "https://acct.table.core.windows.net"))));
    }
}
