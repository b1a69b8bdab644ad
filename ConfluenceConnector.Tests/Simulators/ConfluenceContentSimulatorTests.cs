using System.Net;
using ConfluenceConnector.Simulators.Confluence;
using static ConfluenceConnector.Tests.Simulators.SimTestHelpers;

namespace ConfluenceConnector.Tests.Simulators;

/// <summary>The Confluence simulator's comments, attachments, blog posts, labels and points.</summary>
public sealed class ConfluenceContentSimulatorTests
{
    private static (ConfluenceSite Site, SimPage Page, SimComment Root, SimComment Reply, SimPage Blog) NewSite()
    {
        var site = new ConfluenceSite();
        var space = site.AddSpace("ENG", "Engineering");
        var page = site.AddPage(space, "Page");
        var root = site.AddComment(page, "<p>root</p>");
        var reply = site.AddComment(page, "<p>reply</p>", parent: root);
        var blog = site.AddBlogPost(space, "Blog");
        site.AddComment(blog, "<p>on blog</p>", kind: "inline");
        return (site, page, root, reply, blog);
    }

    [Fact]
    public async Task Per_page_comment_lists_return_roots_only_and_replies_come_from_children_or_the_site_wide_list()
    {
        var (site, page, root, reply, blog) = NewSite();
        await using var sim = await ConfluenceSimulator.StartAsync(site);
        using var client = ConfluenceClient(sim);

        var roots = await WalkAsync(client, $"/wiki/api/v2/pages/{page.Id}/footer-comments?body-format=storage");
        var children = await WalkAsync(client, $"/wiki/api/v2/footer-comments/{root.Id}/children");
        var all = await WalkAsync(client, "/wiki/api/v2/footer-comments");
        var inline = await WalkAsync(client, "/wiki/api/v2/inline-comments");

        Assert.Equal([root.Id], roots.Select(c => (string?)c["id"]));
        Assert.Equal("<p>root</p>", (string?)roots[0]["body"]!["storage"]!["value"]);
        Assert.Equal([reply.Id], children.Select(c => (string?)c["id"]));
        Assert.Equal(root.Id, (string?)children[0]["parentCommentId"]);
        Assert.Equal([root.Id, reply.Id], all.Select(c => (string?)c["id"]));
        Assert.All(all, c => Assert.Equal(page.Id, (string?)c["pageId"]));
        Assert.Equal(blog.Id, (string?)Assert.Single(inline)["blogPostId"]);
        Assert.Equal("open", (string?)inline[0]["resolutionStatus"]);
    }

    [Fact]
    public async Task Attachment_lists_page_at_50_by_default_and_downloads_redirect_to_a_media_host_that_refuses_authorization()
    {
        var (site, page, _, _, _) = NewSite();
        var attachments = Enumerable.Range(0, 51).Select(i => site.AddAttachment(page, $"f{i}.bin", 10 + i)).ToList();
        await using var sim = await ConfluenceSimulator.StartAsync(site);
        using var client = ConfluenceClient(sim);

        var (first, json) = await GetJsonAsync(client, $"/wiki/api/v2/pages/{page.Id}/attachments");
        Assert.Equal(50, json!["results"]!.AsArray().Count);
        Assert.NotNull((string?)json["_links"]!["next"]);
        Assert.Equal(51, (await WalkAsync(client, $"/wiki/api/v2/pages/{page.Id}/attachments")).Count);

        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = sim.BaseUrl };
        noRedirect.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
        var target = attachments[5];
        using var redirect = await noRedirect.GetAsync($"/wiki/rest/api/content/{page.Id}/child/attachment/{target.Id}/download");
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        var media = redirect.Headers.Location!;

        using (var withAuth = await noRedirect.GetAsync(media))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, withAuth.StatusCode);
        }

        using var plain = new HttpClient();
        var bytes = await plain.GetByteArrayAsync(media);
        using var expected = new MemoryStream();
        await target.OpenContent().CopyToAsync(expected);
        Assert.Equal(expected.ToArray(), bytes);
        using (var reused = await plain.GetAsync(media))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        }

        using var deprecated = await client.GetAsync($"/wiki/download/attachments/{page.Id}/{target.Title}");
        Assert.Equal(HttpStatusCode.Unauthorized, deprecated.StatusCode);
    }

    [Fact]
    public async Task Points_are_one_per_api_request_plus_one_per_object_returned()
    {
        var (site, page, _, _, _) = NewSite();
        site.AddLabel(page, "a");
        site.AddLabel(page, "b");
        await using var sim = await ConfluenceSimulator.StartAsync(site);
        using var client = ConfluenceClient(sim);

        await WalkAsync(client, $"/wiki/api/v2/pages/{page.Id}/labels");
        await WalkAsync(client, $"/wiki/api/v2/spaces/{site.Spaces[0].Id}/blogposts");
        await client.GetAsync($"/wiki/api/v2/pages/{page.Id}");

        Assert.Equal(3, sim.Points.Requests);
        Assert.Equal(2 + 1 + 1, sim.Points.Objects);
        Assert.Equal(7, sim.Points.Total);
    }

    [Fact]
    public void The_generator_adds_comments_replies_attachments_and_labels_deterministically_without_changing_the_pages()
    {
        var spec = new SiteSpec { Seed = 11, Spaces = 3, PagesPerSpace = 200, BlogPostsPerSpace = 2 };
        var a = ConfluenceSiteGenerator.Generate(spec);
        var b = ConfluenceSiteGenerator.Generate(spec);
        var withoutExtras = ConfluenceSiteGenerator.Generate(spec with { FooterCommentsPerPage = 0, InlineCommentsPerPage = 0, AttachmentsPerPage = 0, LabelsPerPage = 0, BlogPostsPerSpace = 0 });

        Assert.Equal(a.Comments.Select(c => (c.Id, c.ParentCommentId, c.BodyStorage)), b.Comments.Select(c => (c.Id, c.ParentCommentId, c.BodyStorage)));
        Assert.Equal(a.Attachments.Select(x => (x.Id, x.FileSize, x.ContentSeed)), b.Attachments.Select(x => (x.Id, x.FileSize, x.ContentSeed)));
        Assert.Equal(withoutExtras.Pages.Select(p => (p.Id, p.Title, p.Version.Number)), a.Pages.Select(p => (p.Id, p.Title, p.Version.Number)));
        Assert.Equal(6, a.BlogPosts.Count);

        var containers = a.Pages.Count(p => p.Status is "current" or "archived") + a.BlogPosts.Count;
        var footerRoots = a.Comments.Count(c => c.Kind == "footer" && c.ParentCommentId is null);
        var inlineRoots = a.Comments.Count(c => c.Kind == "inline" && c.ParentCommentId is null);
        Assert.InRange(footerRoots / (double)containers, 0.8, 1.2);
        Assert.InRange(inlineRoots / (double)containers, 0.35, 0.65);
        Assert.InRange(a.Attachments.Count / (double)containers, 0.8, 1.2);
        Assert.Contains(a.Comments, c => c.ParentCommentId is not null);
        Assert.Contains(a.Attachments, x => x.FileSize == 0);
        Assert.NotEmpty(a.Labels);
    }

    [Fact]
    public async Task A_cursor_from_one_simulator_of_a_site_is_accepted_by_another_serving_the_same_site_only()
    {
        var (site, page, _, _, _) = NewSite();
        for (var i = 0; i < 3; i++)
        {
            site.AddAttachment(page, $"f{i}.bin", 1);
        }

        await using var first = await ConfluenceSimulator.StartAsync(site);
        await using var second = await ConfluenceSimulator.StartAsync(site);
        await using var other = await ConfluenceSimulator.StartAsync(NewSite().Site);
        using var firstClient = ConfluenceClient(first);
        using var secondClient = ConfluenceClient(second);
        using var otherClient = ConfluenceClient(other);

        var (_, json) = await GetJsonAsync(firstClient, $"/wiki/api/v2/pages/{page.Id}/attachments?limit=2");
        var next = (string)json!["_links"]!["next"]!;

        Assert.Single((await GetJsonAsync(secondClient, next)).Json!["results"]!.AsArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await otherClient.GetAsync(next)).StatusCode);
    }
}
