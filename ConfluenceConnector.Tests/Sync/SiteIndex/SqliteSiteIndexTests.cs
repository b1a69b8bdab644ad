using ConfluenceConnector.Core.Sync.SiteIndex;

namespace ConfluenceConnector.Tests.Sync.SiteIndex;

/// <summary>The local runner's site index: one SQLite file per run in its folder.</summary>
public sealed class SqliteSiteIndexTests : SiteIndexStoreContract, IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "sqlite-site-index-" + Guid.NewGuid().ToString("N"));

    protected override ISiteIndex NewStore() => new SqliteSiteIndex(folder);

    [Fact]
    public async Task A_run_is_one_file_that_its_deletion_removes_and_reading_creates_none()
    {
        var store = NewStore();
        var run = NewRunId();
        await store.GetAsync(run, ["p1"], CancellationToken.None);
        Assert.False(Directory.Exists(folder) && Directory.EnumerateFiles(folder).Any());

        await store.AddAsync(run, [Tag("p1", "l1", "x")], CancellationToken.None);
        Assert.True(System.IO.File.Exists(Path.Combine(folder, $"site-index-{run}.db")));

        await store.DeleteRunAsync(run, CancellationToken.None);
        Assert.Empty(Directory.EnumerateFiles(folder));
    }

    [Fact]
    public async Task Another_process_store_on_the_same_folder_reads_what_one_filed()
    {
        var run = NewRunId();
        await NewStore().AddAsync(run, [File("p1", "a1")], CancellationToken.None);

        var found = await NewStore().GetAsync(run, ["p1"], CancellationToken.None);

        Assert.Equal("a1", Assert.Single(found["p1"].Attachments).Id);
    }

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
