using System.Text;
using ConfluenceConnector.Core.Mapping;
using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Simulators.Confluence;
using ConfluenceConnector.Simulators.RecordPoint;
using ConfluenceConnector.Tests.Support;

namespace ConfluenceConnector.Tests.Integration;

/// <summary>
/// Full syncs that carry complete records: content, comments (every reply) and attachment binaries, blog posts and
/// metadata, from the Confluence simulator into the RecordPoint simulator on the in-process durable engine.
/// </summary>
public sealed class CompleteRecordsTests
{
    private sealed record Fixture(
        ConfluenceSite Site,
        SimSpace Space,
        SimSpace Excluded,
        SimPage Commented,
        SimPage Plain,
        SimPage InFolder,
        SimPage Blog,
        IReadOnlyList<SimComment> Comments,
        IReadOnlyList<SimAttachment> Attachments);

    private static Fixture NewSite()
    {
        var site = new ConfluenceSite();
        var space = site.AddSpace("ENG", "Engineering");
        var excluded = site.AddSpace("SECRET", "Secret");
        var commented = site.AddPage(space, "Design <review> & notes", bodyStorage: "<p>Design body</p>");
        var plain = site.AddPage(space, "Plain page", parent: commented);
        var inFolder = site.AddPage(space, "Filed page");
        inFolder.ParentId = "777001";
        inFolder.ParentType = "folder";
        var blog = site.AddBlogPost(space, "Release notes");
        var hidden = site.AddPage(excluded, "Secret page");

        var footer1 = site.AddComment(commented, "<p>First footer</p>");
        var reply1 = site.AddComment(commented, "<p>Reply one</p>", parent: footer1, authorId: "acc-reply");
        var reply2 = site.AddComment(commented, "<p>Reply to reply</p>", parent: reply1);
        var footer2 = site.AddComment(commented, "<p>Second footer</p>");
        var footer3 = site.AddComment(commented, "<p>Third footer</p>");
        var inline1 = site.AddComment(commented, "<p>Inline remark</p>", kind: "inline", resolutionStatus: "resolved", originalSelection: "the selected words");
        var inlineReply = site.AddComment(commented, "<p>Inline reply</p>", parent: inline1);
        var blogComment = site.AddComment(blog, "<p>Nice release</p>");
        site.AddComment(hidden, "<p>Hidden comment</p>");

        var attachments = new List<SimAttachment>
        {
            site.AddAttachment(commented, "empty.txt", 0, "text/plain"),
            site.AddAttachment(commented, "spec (v2).pdf", 70_000, "application/pdf"),
            site.AddAttachment(commented, "diagram.png", 1_234, "image/png"),
            site.AddAttachment(plain, "data.csv", 5_000, "text/csv"),
            site.AddAttachment(blog, "release.zip", 20_000, "application/zip"),
        };
        site.AddAttachment(hidden, "secret.bin", 100);
        site.AddLabel(commented, "design");
        site.AddLabel(commented, "architecture");
        return new Fixture(site, space, excluded, commented, plain, inFolder, blog, [footer1, reply1, reply2, footer2, footer3, inline1, inlineReply, blogComment], attachments);
    }

    private static async Task<SyncHarness> StartAsync(Fixture f, RecordPointSimulatorOptions? recordPoint = null)
    {
        var harness = await SyncHarness.StartAsync(f.Site, recordPoint);
        harness.Settings["Confluence:SpaceFilter:Exclude:0"] = f.Excluded.Key;
        harness.Settings["Sync:PageSize"] = "2";
        return harness;
    }

    private static byte[] Bytes(SimAttachment attachment)
    {
        using var content = attachment.OpenContent();
        using var copy = new MemoryStream();
        content.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task Every_page_and_blog_post_arrives_with_its_content_comments_and_attachment_binaries()
    {
        var f = NewSite();
        await using var harness = await StartAsync(f);

        var report = await harness.RunFullSyncAsync();

        Assert.Equal(SyncOutcome.Completed, report.Result!.Outcome);
        var store = harness.RecordPoint.Store;
        Assert.Equal(new[] { f.Commented.Id, f.Plain.Id, f.InFolder.Id, f.Blog.Id }.Order(), store.Items.Select(i => i.ExternalId).Order());
        Assert.Equal([f.Space.Id], store.Aggregations.Select(a => a.ExternalId));

        // The right binaries per record: content always, comments only when there are comments, each attachment by its id.
        string[] Binaries(SimPage page) => store.Binaries.Where(b => b.ItemExternalId == page.Id).Select(b => b.BinaryExternalId).Order().ToArray();
        Assert.Equal(new[] { RecordMapper.ContentBinaryId(f.Commented.Id), RecordMapper.CommentsBinaryId(f.Commented.Id) }.Concat(f.Attachments.Take(3).Select(a => a.Id)).Order(), Binaries(f.Commented));
        Assert.Equal(new[] { RecordMapper.ContentBinaryId(f.Plain.Id), f.Attachments[3].Id }.Order(), Binaries(f.Plain));
        Assert.Equal([RecordMapper.ContentBinaryId(f.InFolder.Id)], Binaries(f.InFolder));
        Assert.Equal(new[] { RecordMapper.ContentBinaryId(f.Blog.Id), RecordMapper.CommentsBinaryId(f.Blog.Id), f.Attachments[4].Id }.Order(), Binaries(f.Blog));

        // Attachments: byte-identical, with file name, MIME type and size.
        foreach (var attachment in f.Attachments)
        {
            var binary = store.FindBinary(attachment.ContainerId, attachment.Id)!;
            Assert.Equal(Bytes(attachment), binary.Content);
            Assert.Equal(attachment.Title, binary.FileName);
            Assert.Equal(attachment.MediaType, binary.MimeType);
            Assert.Equal(attachment.FileSize, binary.FileSize);
        }

        // Comments: every comment and reply present, replies nested under their parent; inline status and selection kept.
        var html = Encoding.UTF8.GetString(store.FindBinary(f.Commented.Id, RecordMapper.CommentsBinaryId(f.Commented.Id))!.Content);
        foreach (var comment in f.Comments.Where(c => c.ContainerId == f.Commented.Id))
        {
            Assert.Contains($"data-comment-id=\"{comment.Id}\"", html);
            Assert.Contains(comment.BodyStorage, html);
            if (comment.ParentCommentId is { } parent)
            {
                Assert.Contains($"data-comment-id=\"{comment.Id}\" data-parent-id=\"{parent}\"", html);
                Assert.True(html.IndexOf($"data-comment-id=\"{parent}\"", StringComparison.Ordinal) < html.IndexOf($"data-comment-id=\"{comment.Id}\"", StringComparison.Ordinal));
            }
        }

        Assert.Contains("acc-reply", html);
        Assert.Contains("<span class=\"resolution\">resolved</span>", html);
        Assert.Contains("<blockquote class=\"selection\">the selected words</blockquote>", html);
        Assert.Contains("Nice release", Encoding.UTF8.GetString(store.FindBinary(f.Blog.Id, RecordMapper.CommentsBinaryId(f.Blog.Id))!.Content));

        // Nothing from the excluded space, not even its comments or attachments.
        Assert.DoesNotContain(store.Binaries, b => b.Content.Length > 0 && Encoding.UTF8.GetString(b.Content).Contains("Hidden comment", StringComparison.Ordinal));
        Assert.DoesNotContain(store.Items, i => i.ParentExternalId == f.Excluded.Id);

        var totals = report.Result.Totals;
        Assert.Equal(3, totals.Pages);
        Assert.Equal(1, totals.BlogPosts);
        Assert.Equal(8, totals.Comments);
        Assert.Equal(5, totals.Attachments);
        Assert.Equal(4, totals.ContentBinaries);
        Assert.Equal(2, totals.CommentBinaries);
        Assert.Equal(5, totals.AttachmentBinaries);
        Assert.Equal(11, totals.Binaries);

        var reconciliation = Assert.Single(Reconciliation.For(report).Spaces);
        Assert.Equal(new ConfluenceHoldings(3, 1, 8, 5), reconciliation.Confluence);
        Assert.Equal(new RecordPointHoldings(true, 4, 4, 2, 5), reconciliation.RecordPoint);
        Assert.Equal(0, reconciliation.Differences);
        Assert.Equal(1, Reconciliation.For(report).SpacesExcludedByFilter);
    }

    [Fact]
    public async Task Records_carry_their_metadata_as_source_properties()
    {
        var f = NewSite();
        await using var harness = await StartAsync(f);

        await harness.RunFullSyncAsync();

        var store = harness.RecordPoint.Store;
        string? Property(SimPage page, string name) => store.FindItem(page.Id)!.SourceProperties.Single(p => p.Name == name).Value;
        Assert.Equal("ENG", Property(f.Commented, "SpaceKey"));
        Assert.Equal(f.Space.Id, Property(f.Commented, "SpaceId"));
        Assert.Equal(f.Commented.Id, Property(f.Commented, "ContentId"));
        Assert.Equal("page", Property(f.Commented, "ContentType"));
        Assert.Equal("blogpost", Property(f.Blog, "ContentType"));
        Assert.Equal("current", Property(f.Commented, "Status"));
        Assert.Equal("1", Property(f.Commented, "VersionNumber"));
        Assert.Equal("architecture, design", Property(f.Commented, "Labels"));
        Assert.Equal(f.Commented.Id, Property(f.Plain, "ParentId"));
        Assert.Equal("page", Property(f.Plain, "ParentType"));
        Assert.Equal("777001", Property(f.InFolder, "ParentId"));
        Assert.Equal("folder", Property(f.InFolder, "ParentType"));
        Assert.Equal(f.Commented.AuthorId, Property(f.Commented, "CreatedBy"));
        Assert.Equal(f.Commented.Version.AuthorId, Property(f.Commented, "ModifiedBy"));
        Assert.EndsWith($"/pages/{f.Commented.Id}/Design+%3Creview%3E+%26+notes", Property(f.Commented, "WebUrl"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_export_view_on_the_content_binary_holds_the_rendered_body_at_one_more_request_per_record()
    {
        var f = NewSite();
        f.Commented.BodyStorage = "<p>Intro</p><ac:structured-macro ac:name=\"toc\" ac:schema-version=\"1\" />";
        await using var harness = await StartAsync(f);
        harness.Settings["Sync:UseExportView"] = "true";

        await harness.RunFullSyncAsync();

        var html = Encoding.UTF8.GetString(harness.RecordPoint.Store.FindBinary(f.Commented.Id, RecordMapper.ContentBinaryId(f.Commented.Id))!.Content);
        Assert.Contains("<meta name=\"confluence:body-format\" content=\"export_view\">", html);
        Assert.Contains("<div class=\"conf-macro\" data-macro-name=\"toc\"></div>", html);
        Assert.DoesNotContain("ac:structured-macro", html);
        Assert.Equal(3, harness.Confluence.Requests["GET /wiki/api/v2/pages/{id}"]);
        Assert.Equal(1, harness.Confluence.Requests["GET /wiki/api/v2/blogposts/{id}"]);
    }

    [Fact]
    public async Task A_page_that_disappears_after_the_listing_is_reported_by_id_and_the_space_completes()
    {
        var f = NewSite();
        await using var harness = await StartAsync(f);

        // Per-content reads are where a page deleted since the listing answers 404.
        harness.Settings["Sync:ListingStrategy"] = "PerContent";
        harness.Confluence.FailNext(r => r.Path.Value == $"/wiki/api/v2/pages/{f.Plain.Id}/labels", statusCode: 404, times: 100);

        var report = await harness.RunFullSyncAsync();

        Assert.Equal(SyncOutcome.CompletedWithFailures, report.Result!.Outcome);
        Assert.Null(harness.RecordPoint.Store.FindItem(f.Plain.Id));
        Assert.NotNull(harness.RecordPoint.Store.FindItem(f.Commented.Id));
        var space = Assert.Single(Reconciliation.For(report).Spaces);
        Assert.Equal(SpaceSyncStatus.CompletedWithFailures, space.Status);
        Assert.Equal(1, space.MissingRecords);
        var difference = Assert.Single(space.Listed);
        Assert.Equal((f.Plain.Id, "page", Reconciliation.HiddenOrDeleted), (difference.Id, difference.Kind, difference.Reason));
    }

    [Fact]
    public async Task Blog_posts_are_left_out_when_the_setting_turns_them_off()
    {
        var f = NewSite();
        await using var harness = await StartAsync(f);
        harness.Settings["Sync:IncludeBlogPosts"] = "false";

        var report = await harness.RunFullSyncAsync();

        Assert.Null(harness.RecordPoint.Store.FindItem(f.Blog.Id));
        Assert.Equal(0, report.Result!.Totals.BlogPosts);
        Assert.Equal(0, harness.Confluence.Requests["GET /wiki/api/v2/spaces/{id}/blogposts"]);
    }

    [Fact]
    public async Task A_30_MB_attachment_streams_through_the_legacy_path_and_one_above_maxFileSize_is_skipped_with_the_reason()
    {
        var site = new ConfluenceSite();
        var space = site.AddSpace("BIG", "Big files");
        var page = site.AddPage(space, "Large attachments");
        var large = site.AddAttachment(page, "video.mp4", 30L * 1024 * 1024, "video/mp4");
        var tooLarge = site.AddAttachment(page, "huge.iso", 33L * 1024 * 1024, "application/x-iso9660-image");
        await using var harness = await SyncHarness.StartAsync(site, new RecordPointSimulatorOptions { LegacyBinaryPathOnly = true, MaxFileSize = 32L * 1024 * 1024 });

        var report = await harness.RunFullSyncAsync();

        var binary = harness.RecordPoint.Store.FindBinary(page.Id, large.Id)!;
        Assert.Equal("Legacy", binary.SubmittedVia);
        Assert.Equal(Bytes(large), binary.Content);
        Assert.Null(harness.RecordPoint.Store.FindBinary(page.Id, tooLarge.Id));
        Assert.Equal(1, report.Result!.Totals.BinariesSkipped);
        var skipped = Assert.Single(report.Result.FailureSamples);
        Assert.Equal(tooLarge.Id, skipped.ItemId);
        Assert.Equal("attachment", skipped.Kind);
        Assert.Contains("too large", skipped.Reason, StringComparison.Ordinal);

        var reconciliation = Assert.Single(Reconciliation.For(report).Spaces);
        Assert.Equal(new ConfluenceHoldings(1, 0, 0, 2), reconciliation.Confluence);
        Assert.Equal(new RecordPointHoldings(true, 1, 1, 0, 1), reconciliation.RecordPoint);
        Assert.Equal(1, reconciliation.MissingAttachments);
        var difference = Assert.Single(reconciliation.Listed);
        Assert.Equal((tooLarge.Id, "attachment", Reconciliation.SkippedTooLarge), (difference.Id, difference.Kind, difference.Reason));
    }

    [Fact]
    public async Task The_simulator_counts_points_as_Confluence_does_and_a_sync_costs_four_requests_per_record_plus_one_per_comment_and_attachment()
    {
        var f = NewSite();
        await using var harness = await StartAsync(f);
        harness.Settings["Sync:PageSize"] = "250";
        harness.Settings["Sync:ListingStrategy"] = "PerContent";

        var report = await harness.RunFullSyncAsync();

        var points = harness.Confluence.Points;
        var apiRequests = harness.Confluence.Requests.ByRoute.Where(r => r.Key.Contains(" /wiki/", StringComparison.Ordinal)).Sum(r => r.Value);
        Assert.Equal(apiRequests, points.Requests);
        Assert.Equal(points.Requests + points.Objects, points.Total);

        // Requests: 4 space listings (filter check + current/archived walks), 1 page and 1 blog post listing of ENG;
        // per record 4 (labels, footer roots, inline roots, attachments); per comment 1 (its replies); per attachment
        // 1 (the v1 download; the media host is not the Confluence API).
        var records = 4;
        var comments = f.Comments.Count;
        var attachments = f.Attachments.Count;
        Assert.Equal(6 + (4 * records) + comments + attachments, points.Requests);

        // Objects: 3 spaces across the space listings, the 4 records, 2 labels, every comment, each attachment twice
        // (listed, then downloaded).
        Assert.Equal(3 + records + 2 + comments + (2 * attachments), points.Objects);
        Assert.Equal(62, points.Total);

        // The sync summary reports what the space's batches spent: all of it but the 4 space-listing requests and
        // the 3 spaces they returned (spent before any space starts).
        var space = Assert.Single(Reconciliation.For(report).Spaces);
        Assert.Equal(points.Requests - 4, space.ConfluenceRequests);
        Assert.Equal(points.Total - 7, space.ConfluencePoints);
        Assert.Equal(space.ConfluencePoints, report.Result!.Totals.ConfluencePoints);
        Assert.Equal(0, harness.Confluence.Requests["GET /wiki/download/attachments/{id}/{fileName}"]);
    }

    private static long Submissions(RecordPointSimulator recordPoint) =>
        recordPoint.Requests.ByRoute.Where(r => r.Key.StartsWith("POST /connector/api/Items", StringComparison.Ordinal) || r.Key.Contains("/Binaries", StringComparison.Ordinal)).Sum(r => r.Value);

    [Fact]
    public async Task A_second_sync_of_an_unchanged_site_submits_nothing_and_downloads_nothing()
    {
        var f = NewSite();
        await using var harness = await StartAsync(f);
        var ledger = Path.Combine(Path.GetTempPath(), $"ledger-{Guid.NewGuid():N}.db");
        harness.Settings["Ledger:Path"] = ledger;
        try
        {
            var first = await harness.RunFullSyncAsync();
            var submitted = Submissions(harness.RecordPoint);
            var downloads = harness.Confluence.Requests["GET /media/file/{fileId}/binary"];
            Assert.True(submitted > 0);
            Assert.Equal(5, downloads);

            var second = await harness.RunFullSyncAsync();

            Assert.Equal(SyncOutcome.Completed, second.Result!.Outcome);
            Assert.Equal(submitted, Submissions(harness.RecordPoint));
            Assert.Equal(downloads, harness.Confluence.Requests["GET /media/file/{fileId}/binary"]);
            Assert.Equal(0, second.Result.Totals.RecordsSubmitted);
            Assert.Equal(4, second.Result.Totals.RecordsUnchanged);
            Assert.Equal(first.Result!.Totals.Binaries, second.Result.Totals.Binaries);
            Assert.All(harness.RecordPoint.Store.Items, i => Assert.Equal(1, i.Versions));
        }
        finally
        {
            File.Delete(ledger);
        }
    }

    [Fact]
    public async Task A_new_version_or_new_comment_or_attachment_resubmits_that_record_with_all_its_binaries_and_nothing_else()
    {
        var f = NewSite();
        await using var harness = await StartAsync(f);
        var ledger = Path.Combine(Path.GetTempPath(), $"ledger-{Guid.NewGuid():N}.db");
        harness.Settings["Ledger:Path"] = ledger;
        try
        {
            await harness.RunFullSyncAsync();
            var store = harness.RecordPoint.Store;
            f.Plain.Version.Number = 2;
            f.Plain.Version.CreatedAt = f.Plain.Version.CreatedAt.AddDays(1);
            f.Site.AddComment(f.Blog, "<p>A late comment</p>");
            var added = f.Site.AddAttachment(f.InFolder, "late.txt", 300, "text/plain");

            var report = await harness.RunFullSyncAsync();

            Assert.Equal(SyncOutcome.Completed, report.Result!.Outcome);
            Assert.Equal(2, store.FindItem(f.Plain.Id)!.Versions);
            Assert.Equal(2, store.FindBinary(f.Plain.Id, RecordMapper.ContentBinaryId(f.Plain.Id))!.Versions);
            Assert.Equal(2, store.FindBinary(f.Plain.Id, f.Attachments[3].Id)!.Versions);
            Assert.Contains("A late comment", Encoding.UTF8.GetString(store.FindBinary(f.Blog.Id, RecordMapper.CommentsBinaryId(f.Blog.Id))!.Content));
            Assert.Equal(Bytes(added), store.FindBinary(f.InFolder.Id, added.Id)!.Content);
            Assert.Equal(1, store.FindItem(f.Commented.Id)!.Versions);
            Assert.All(store.Binaries.Where(b => b.ItemExternalId == f.Commented.Id), b => Assert.Equal(1, b.Versions));
            Assert.Equal(1, report.Result.Totals.RecordsSubmitted);
            Assert.Equal(3, report.Result.Totals.RecordsUnchanged);
        }
        finally
        {
            File.Delete(ledger);
        }
    }

    [Fact]
    public async Task Losing_the_ledger_costs_resubmissions_that_RecordPoint_answers_409_and_loses_nothing()
    {
        var f = NewSite();
        await using var harness = await StartAsync(f);
        var ledger = Path.Combine(Path.GetTempPath(), $"ledger-{Guid.NewGuid():N}.db");
        harness.Settings["Ledger:Path"] = ledger;
        try
        {
            await harness.RunFullSyncAsync();
            var items = harness.RecordPoint.Store.Items.Count;
            var binaries = harness.RecordPoint.Store.Binaries.Count;
            File.Delete(ledger);

            var report = await harness.RunFullSyncAsync();

            Assert.Equal(SyncOutcome.Completed, report.Result!.Outcome);
            Assert.Equal(0, report.Result.Totals.Failures);
            Assert.Equal(4, report.Result.Totals.RecordsUnchanged);
            Assert.True(harness.RecordPoint.Store.Conflicts >= 4);
            Assert.Equal(items, harness.RecordPoint.Store.Items.Count);
            Assert.Equal(binaries, harness.RecordPoint.Store.Binaries.Count);
            Assert.All(harness.RecordPoint.Store.Items, i => Assert.Equal(1, i.Versions));
            Assert.True(File.Exists(ledger));
        }
        finally
        {
            File.Delete(ledger);
        }
    }
}
