using Azure.Data.Tables;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.Sync.SiteIndex;
using ConfluenceConnector.Tests.Support;

namespace ConfluenceConnector.Tests.Sync.SiteIndex;

/// <summary>The Functions app's site index, on real Table storage (Azurite): one table per run.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableSiteIndexTests(AzuriteFixture azurite) : SiteIndexStoreContract
{
    private TableServiceClient Service => new(azurite.ConnectionString);

    protected override ISiteIndex NewStore() => new TableSiteIndex(Service);

    [Fact]
    public async Task A_run_is_one_table_that_its_deletion_drops()
    {
        var store = NewStore();
        var run = NewRunId();
        await store.AddAsync(run, [Tag("p1", "l1", "x")], CancellationToken.None);
        Assert.Single(Service.Query(t => t.Name == TableSiteIndex.TableName(run)));

        await store.DeleteRunAsync(run, CancellationToken.None);

        Assert.Empty(Service.Query(t => t.Name == TableSiteIndex.TableName(run)));
    }

    [Fact]
    public async Task An_object_too_large_for_an_entity_marks_its_content_incomplete_and_the_rest_is_kept()
    {
        var store = NewStore();
        var run = NewRunId();
        var huge = Footer("p1", "c1", new string('x', 600_000));

        await store.AddAsync(run, [huge, Footer("p1", "c2", "small"), Footer("p2", "c3", "other")], CancellationToken.None);

        var found = await store.GetAsync(run, ["p1", "p2"], CancellationToken.None);
        Assert.False(found["p1"].Complete);
        Assert.Equal(["c2"], found["p1"].Comments.Select(c => c.Id));
        Assert.True(found["p2"].Complete);
    }

    [Fact]
    public async Task Ids_with_characters_a_key_may_not_hold_are_kept_apart()
    {
        var store = NewStore();
        var run = NewRunId();

        await store.AddAsync(run, [Tag("a/b", "l#1", "slash"), Tag("a%2Fb", "l1", "escaped"), Tag("~site-index", "seal?", "seal")], CancellationToken.None);

        var found = await store.GetAsync(run, ["a/b", "a%2Fb", "~site-index"], CancellationToken.None);
        Assert.Equal("slash", Assert.Single(found["a/b"].Labels).Name);
        Assert.Equal("escaped", Assert.Single(found["a%2Fb"].Labels).Name);
        Assert.Equal("seal", Assert.Single(found["~site-index"].Labels).Name);
    }

    [Fact]
    public async Task A_content_with_hundreds_of_objects_is_written_in_several_transactions()
    {
        var store = NewStore();
        var run = NewRunId();
        var many = Enumerable.Range(0, 250).Select(i => File("p1", $"a{i:D3}")).ToList();

        await store.AddAsync(run, many, CancellationToken.None);

        Assert.Equal(many.Select(m => m.Id), (await store.GetAsync(run, ["p1"], CancellationToken.None))["p1"].Attachments.Select(a => a.Id));
    }
}
