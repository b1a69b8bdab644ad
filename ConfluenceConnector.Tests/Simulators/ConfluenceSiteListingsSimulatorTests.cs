using ConfluenceConnector.Simulators.Confluence;
using static ConfluenceConnector.Tests.Simulators.SimTestHelpers;

namespace ConfluenceConnector.Tests.Simulators;

/// <summary>The Confluence simulator's site-wide listings: comments with replies, attachments, labels and a label's content.</summary>
public sealed class ConfluenceSiteListingsSimulatorTests
{
    [Fact]
    public async Task Site_wide_comment_lists_carry_replies_with_parent_ids_and_inline_fields_paged_by_cursor_and_charged_per_object()
    {
        var site = new ConfluenceSite();
        var space = site.AddSpace("ENG", "Engineering");
        var page = site.AddPage(space, "Page");
        var blog = site.AddBlogPost(space, "Blog");
        var root = site.AddComment(page, "<p>root</p>");
        var reply = site.AddComment(page, "<p>reply</p>", parent: root);
        var inline = site.AddComment(blog, "<p>inline</p>", kind: "inline", resolutionStatus: "resolved", originalSelection: "picked");
        var inlineReply = site.AddComment(blog, "<p>inline reply</p>", parent: inline);
        await using var sim = await ConfluenceSimulator.StartAsync(site);
        using var client = ConfluenceClient(sim);

        var (first, json) = await GetJsonAsync(client, "/wiki/api/v2/footer-comments?body-format=storage&limit=1");
        Assert.Equal(200, (int)first.StatusCode);
        Assert.Equal([root.Id], json!["results"]!.AsArray().Select(c => (string?)c!["id"]));
        var next = (string?)json["_links"]!["next"];
        Assert.Contains("cursor=", next);
        Assert.Equal(2, sim.Points.Total);

        var footer = await WalkAsync(client, "/wiki/api/v2/footer-comments?body-format=storage&limit=1");
        Assert.Equal([root.Id, reply.Id], footer.Select(c => (string?)c["id"]));
        Assert.Equal(root.Id, (string?)footer[1]["parentCommentId"]);
        Assert.Equal("<p>reply</p>", (string?)footer[1]["body"]!["storage"]!["value"]);
        Assert.All(footer, c => Assert.Equal(page.Id, (string?)c["pageId"]));
        Assert.All(footer, c => Assert.Null(c["resolutionStatus"]));

        var inlines = await WalkAsync(client, "/wiki/api/v2/inline-comments?body-format=storage&limit=250");
        Assert.Equal([inline.Id, inlineReply.Id], inlines.Select(c => (string?)c["id"]));
        Assert.All(inlines, c => Assert.Equal(blog.Id, (string?)c["blogPostId"]));
        Assert.Equal("resolved", (string?)inlines[0]["resolutionStatus"]);
        Assert.Equal("picked", (string?)inlines[0]["properties"]!["inlineOriginalSelection"]);
        Assert.Equal(inline.Id, (string?)inlines[1]["parentCommentId"]);

        // 1 + 1 (first page above), 2 + 2 (footer walk, one per page), 1 + 2 (inline walk).
        Assert.Equal(2 + 4 + 3, sim.Points.Total);
    }

    [Fact]
    public async Task The_site_wide_attachment_list_names_each_container_and_pages_by_cursor()
    {
        var site = new ConfluenceSite();
        var space = site.AddSpace("ENG", "Engineering");
        var page = site.AddPage(space, "Page");
        var blog = site.AddBlogPost(space, "Blog");
        var onPage = site.AddAttachment(page, "a.txt", 10);
        var onBlog = site.AddAttachment(blog, "b.txt", 20);
        await using var sim = await ConfluenceSimulator.StartAsync(site);
        using var client = ConfluenceClient(sim);

        var all = await WalkAsync(client, "/wiki/api/v2/attachments?limit=1");

        Assert.Equal([onPage.Id, onBlog.Id], all.Select(a => (string?)a["id"]));
        Assert.Equal(page.Id, (string?)all[0]["pageId"]);
        Assert.Equal(blog.Id, (string?)all[1]["blogPostId"]);
        Assert.Equal(2 + 2, sim.Points.Total);
    }

    [Fact]
    public async Task Labels_are_listed_once_each_and_a_label_lists_its_current_and_archived_pages_and_blog_posts_without_bodies()
    {
        var site = new ConfluenceSite();
        var space = site.AddSpace("ENG", "Engineering");
        var other = site.AddSpace("OPS", "Operations");
        var page = site.AddPage(space, "Page");
        var archived = site.AddPage(other, "Old", status: "archived");
        var trashed = site.AddPage(space, "Gone", status: "trashed");
        var blog = site.AddBlogPost(space, "Blog");
        var design = site.AddLabel(page, "design");
        Assert.Same(design, site.AddLabel(archived, "design"));
        site.AddLabel(trashed, "design");
        site.AddLabel(blog, "design");
        site.AddLabel(page, "design");
        var draft = site.AddLabel(page, "draft");
        await using var sim = await ConfluenceSimulator.StartAsync(site);
        using var client = ConfluenceClient(sim);

        var labels = await WalkAsync(client, "/wiki/api/v2/labels?limit=1");
        Assert.Equal([(design.Id, "design"), (draft.Id, "draft")], labels.Select(l => ((string?)l["id"], (string?)l["name"])));
        Assert.Equal(["design", "draft"], (await WalkAsync(client, $"/wiki/api/v2/pages/{page.Id}/labels")).Select(l => (string?)l["name"]));

        var pages = await WalkAsync(client, $"/wiki/api/v2/labels/{design.Id}/pages?limit=1");
        Assert.Equal([page.Id, archived.Id], pages.Select(p => (string?)p["id"]));
        Assert.All(pages, p => Assert.Null(p["body"]));
        Assert.Equal([page.Id], (await WalkAsync(client, $"/wiki/api/v2/labels/{design.Id}/pages?space-id={space.Id}")).Select(p => (string?)p["id"]));
        Assert.Equal([blog.Id], (await WalkAsync(client, $"/wiki/api/v2/labels/{design.Id}/blogposts")).Select(p => (string?)p["id"]));

        sim.Points.Reset();
        await WalkAsync(client, $"/wiki/api/v2/labels/{design.Id}/pages");
        Assert.Equal(1 + 2, sim.Points.Total);

        var (missing, _) = await GetJsonAsync(client, "/wiki/api/v2/labels/999999/pages");
        Assert.Equal(404, (int)missing.StatusCode);
    }
}
