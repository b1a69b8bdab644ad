using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.Sync.SiteIndex;

namespace ConfluenceConnector.Tests.Sync.SiteIndex;

/// <summary>
/// What every <see cref="ISiteIndex"/> store promises, run against each real store: rows filed by (run, content, kind,
/// id), one row per key however often written, runs apart from each other, a run deleted at once, many writers at once.
/// </summary>
public abstract class SiteIndexStoreContract
{
    /// <summary>A fresh store on fresh storage.</summary>
    protected abstract ISiteIndex NewStore();

    protected static string NewRunId() => Guid.NewGuid().ToString("N")[..12];

    protected static IndexedChild Footer(string contentId, string id, string text, string? parent = null) =>
        new(contentId, ChildKind.FooterComment, id, ContentChildren.Serialize(new Comment(id, "current", contentId, null, parent, new ContentVersion(1, null, "u1", null, false), new PageBody(new BodyRepresentation(text, "storage")), null, null)));

    protected static IndexedChild Inline(string contentId, string id, string? resolution) =>
        new(contentId, ChildKind.InlineComment, id, ContentChildren.Serialize(new Comment(id, "current", contentId, null, null, null, null, resolution, new InlineCommentProperties("m1", "selected"))));

    protected static IndexedChild File(string contentId, string id) =>
        new(contentId, ChildKind.Attachment, id, ContentChildren.Serialize(new Attachment(id, "current", $"file-{id}.pdf", null, contentId, null, "application/pdf", "f" + id, 1234, null)));

    protected static IndexedChild Tag(string contentId, string id, string name) =>
        new(contentId, ChildKind.Label, id, ContentChildren.Serialize(new Label(id, name, "global")));

    [Fact]
    public async Task Children_come_back_by_content_in_a_stable_order_and_unlisted_content_has_none()
    {
        var store = NewStore();
        var run = NewRunId();
        await store.AddAsync(run, [File("p1", "a2"), Footer("p1", "c9", "second"), Tag("p1", "l1", "policy"), Inline("p1", "c3", null), Footer("p1", "c1", "first"), File("p2", "a1")], CancellationToken.None);

        var found = await store.GetAsync(run, ["p1", "p2", "p3"], CancellationToken.None);

        Assert.Equal(["p1", "p2", "p3"], found.Keys.Order(StringComparer.Ordinal));
        var p1 = found["p1"];
        Assert.True(p1.Complete);
        Assert.Equal(["c1", "c9", "c3"], p1.Comments.Select(c => c.Id));
        Assert.Equal("first", p1.Comments[0].Body?.Storage?.Value);
        Assert.Null(p1.Comments[0].ResolutionStatus);
        Assert.Equal("open", p1.Comments[2].ResolutionStatus);
        Assert.Equal("selected", p1.Comments[2].Properties?.InlineOriginalSelection);
        Assert.Equal(["a2"], p1.Attachments.Select(a => a.Id));
        Assert.Equal(1234, p1.Attachments[0].FileSize);
        Assert.Equal(["policy"], p1.Labels.Select(l => l.Name));
        Assert.Equal(["a1"], found["p2"].Attachments.Select(a => a.Id));
        Assert.Same(ContentChildren.None, found["p3"]);
    }

    [Fact]
    public async Task A_row_written_again_is_kept_once_with_its_last_value()
    {
        var store = NewStore();
        var run = NewRunId();
        await store.AddAsync(run, [Footer("p1", "c1", "old")], CancellationToken.None);
        await store.AddAsync(run, [Footer("p1", "c1", "new"), Footer("p1", "c1", "newest")], CancellationToken.None);

        var comment = Assert.Single((await store.GetAsync(run, ["p1"], CancellationToken.None))["p1"].Comments);

        Assert.Equal("newest", comment.Body?.Storage?.Value);
    }

    [Fact]
    public async Task Runs_are_apart_and_deleting_one_leaves_the_other()
    {
        var store = NewStore();
        var (first, second) = (NewRunId(), NewRunId());
        await store.AddAsync(first, [Tag("p1", "l1", "first-run")], CancellationToken.None);
        await store.AddAsync(second, [Tag("p1", "l1", "second-run")], CancellationToken.None);

        await store.DeleteRunAsync(first, CancellationToken.None);
        await store.DeleteRunAsync(first, CancellationToken.None);

        Assert.Same(ContentChildren.None, (await store.GetAsync(first, ["p1"], CancellationToken.None))["p1"]);
        Assert.Equal("second-run", Assert.Single((await store.GetAsync(second, ["p1"], CancellationToken.None))["p1"].Labels).Name);
        await store.DeleteRunAsync(NewRunId(), CancellationToken.None);
    }

    [Fact]
    public async Task Many_writers_at_once_lose_no_row()
    {
        var store = NewStore();
        var run = NewRunId();
        var pages = Enumerable.Range(0, 16).Select(w => Enumerable.Range(0, 50).Select(i => Footer($"p{i % 25}", $"w{w}-c{i}", "text")).ToList()).ToList();

        await Task.WhenAll(pages.Select(page => Task.Run(() => store.AddAsync(run, page, CancellationToken.None))));

        var found = await store.GetAsync(run, [.. Enumerable.Range(0, 25).Select(i => $"p{i}")], CancellationToken.None);
        Assert.Equal(16 * 50, found.Values.Sum(c => c.Comments.Count));
        Assert.All(found.Values, c => Assert.Equal(32, c.Comments.Count));
    }

    [Fact]
    public async Task A_comment_of_a_few_hundred_kilobytes_round_trips_whole()
    {
        var store = NewStore();
        var run = NewRunId();
        var text = string.Concat(Enumerable.Range(0, 4_000).Select(i => $"<p>{i} é😀</p>"));
        await store.AddAsync(run, [Footer("p1", "c1", text)], CancellationToken.None);

        var found = (await store.GetAsync(run, ["p1"], CancellationToken.None))["p1"];

        Assert.True(found.Complete);
        Assert.Equal(text, Assert.Single(found.Comments).Body?.Storage?.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../x")]
    [InlineData("run id")]
    public async Task A_run_id_that_could_name_another_file_or_table_is_refused(string runId)
    {
        var store = NewStore();

        await Assert.ThrowsAsync<ArgumentException>(() => store.AddAsync(runId, [Tag("p1", "l1", "x")], CancellationToken.None));
    }
}
