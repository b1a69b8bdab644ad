using System.Text;
using ConfluenceConnector.Core.Mapping;
using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Simulators.Confluence;
using ConfluenceConnector.Simulators.RecordPoint;
using ConfluenceConnector.Tests.Support;

namespace ConfluenceConnector.Tests.Integration;

/// <summary>Full syncs on the in-process Durable Task engine, from the Confluence simulator into the RecordPoint simulator.</summary>
public sealed class FullSyncTests
{
    private static readonly string[] RecordStatuses = ["current", "archived"];

    private static ConfluenceSite NewSite(int pagesPerSpace = 30) => ConfluenceSiteGenerator.Generate(new SiteSpec
    {
        Seed = 7,
        Spaces = 4,
        PagesPerSpace = pagesPerSpace,
        PersonalSpaces = 1,
        ArchivedSpaces = 1,
        MaxBodyBytes = 4000,

        // Content binaries only here: comments and attachments are covered by CompleteRecordsTests.
        FooterCommentsPerPage = 0,
        InlineCommentsPerPage = 0,
        AttachmentsPerPage = 0,
    });

    private static List<SimPage> RecordPages(ConfluenceSite site, IEnumerable<SimSpace> spaces)
    {
        var ids = spaces.Select(s => s.Id).ToHashSet();
        return site.Pages.Where(p => ids.Contains(p.SpaceId) && RecordStatuses.Contains(p.Status)).ToList();
    }

    [Fact]
    public async Task Every_space_becomes_an_aggregation_and_every_current_or_archived_page_a_record_with_its_content()
    {
        var site = NewSite();
        await using var harness = await SyncHarness.StartAsync(site);

        var report = await harness.RunFullSyncAsync();

        Assert.Equal(SyncOutcome.Completed, report.Result!.Outcome);
        var store = harness.RecordPoint.Store;
        Assert.Equal(site.Spaces.Select(s => s.Id).Order(), store.Aggregations.Select(a => a.ExternalId).Order());
        Assert.Contains(site.Spaces, s => s.Status == "archived");
        Assert.Contains(site.Spaces, s => s.Type == "personal");
        foreach (var space in site.Spaces)
        {
            Assert.Equal(space.Name, store.FindAggregation(space.Id)!.Title);
        }

        var expected = RecordPages(site, site.Spaces);
        Assert.Contains(site.Pages, p => p.Status is "draft" or "trashed");
        Assert.Equal(expected.Select(p => p.Id).Order(), store.Items.Select(i => i.ExternalId).Order());
        foreach (var page in expected)
        {
            var item = store.FindItem(page.Id)!;
            Assert.Equal(1, item.Versions);
            Assert.Equal(page.SpaceId, item.ParentExternalId);
            Assert.Equal(page.Title, item.Title);
            Assert.Equal(page.Version.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), item.ContentVersion);
            Assert.Equal(page.Version.CreatedAt, item.SourceLastModifiedDate);

            var binary = store.FindBinary(page.Id, RecordMapper.ContentBinaryId(page.Id))!;
            Assert.Equal("SAS", binary.Latest.SubmittedVia);
            var html = Encoding.UTF8.GetString(binary.Latest.Content);
            Assert.Contains(page.BodyStorage, html);
            Assert.Contains($"<meta name=\"confluence:page-id\" content=\"{page.Id}\">", html);
        }

        Assert.Equal(expected.Count, store.Binaries.Count);
        Assert.Equal(expected.Count, report.Result.Totals.RecordsSubmitted);
        Assert.Equal(site.Spaces.Count, report.Spaces.Count);
        Assert.All(report.Spaces, s => Assert.Equal(SpaceSyncStatus.Completed, s.Status));
    }

    [Fact]
    public async Task The_space_filter_keeps_included_spaces_drops_excluded_ones_and_reports_unknown_keys()
    {
        var site = NewSite(pagesPerSpace: 8);
        var global = site.Spaces.Where(s => s.Type == "global").ToList();
        await using var harness = await SyncHarness.StartAsync(site);
        harness.Settings["Confluence:SpaceFilter:Include:0"] = global[0].Key;
        harness.Settings["Confluence:SpaceFilter:Include:1"] = global[1].Key;
        harness.Settings["Confluence:SpaceFilter:Include:2"] = "NOPE";
        harness.Settings["Confluence:SpaceFilter:Exclude:0"] = global[1].Key;

        var report = await harness.RunFullSyncAsync();

        var store = harness.RecordPoint.Store;
        Assert.Equal([global[0].Id], store.Aggregations.Select(a => a.ExternalId));
        Assert.Equal(RecordPages(site, [global[0]]).Select(p => p.Id).Order(), store.Items.Select(i => i.ExternalId).Order());
        Assert.All(store.Items, i => Assert.Equal(global[0].Id, i.ParentExternalId));
        Assert.Equal(["NOPE"], report.Result!.UnknownSpaceKeys);
        Assert.Equal(1, report.Result.Totals.SpacesExcluded);
    }

    [Fact]
    public async Task A_listing_that_fails_in_the_middle_fails_its_space_loudly_and_keeps_the_others()
    {
        var site = NewSite(pagesPerSpace: 60);
        await using var harness = await SyncHarness.StartAsync(site);
        harness.Settings["Sync:PageSize"] = "10";
        var victim = site.Spaces.First(s => s.Type == "global");
        harness.Confluence.FailNext(
            r => r.Path.Value == $"/wiki/api/v2/spaces/{victim.Id}/pages" && r.Query.ContainsKey("cursor"),
            statusCode: 400,
            times: 1000);

        var report = await harness.RunFullSyncAsync();

        Assert.Equal(SyncOutcome.CompletedWithFailures, report.Result!.Outcome);
        var failed = Assert.Single(report.Spaces, s => s.Status == SpaceSyncStatus.Failed);
        Assert.Equal(victim.Id, failed.SpaceId);
        Assert.Equal(10, failed.Pages);
        Assert.Contains("answered 400", failed.Error);
        Assert.Equal(1, report.Result.Totals.SpacesFailed);

        var others = site.Spaces.Where(s => s.Id != victim.Id).ToList();
        var store = harness.RecordPoint.Store;
        foreach (var page in RecordPages(site, others))
        {
            Assert.NotNull(store.FindItem(page.Id));
        }
    }

    [Fact]
    public async Task A_transient_error_in_the_middle_of_a_listing_is_ridden_out()
    {
        var site = NewSite(pagesPerSpace: 30);
        await using var harness = await SyncHarness.StartAsync(site);
        harness.Settings["Sync:PageSize"] = "10";
        harness.Confluence.FailNext(r => r.Path.Value!.EndsWith("/pages", StringComparison.Ordinal) && r.Query.ContainsKey("cursor"), statusCode: 503, times: 1);

        var report = await harness.RunFullSyncAsync();

        Assert.Equal(SyncOutcome.Completed, report.Result!.Outcome);
        Assert.Equal(RecordPages(site, site.Spaces).Count, harness.RecordPoint.Store.Items.Count);
        Assert.Equal(0, harness.Confluence.PendingFaults);
    }

    [Fact]
    public async Task Binaries_go_by_the_legacy_streaming_path_when_recordpoint_answers_405()
    {
        var site = NewSite(pagesPerSpace: 6);
        await using var harness = await SyncHarness.StartAsync(site, new RecordPointSimulatorOptions { LegacyBinaryPathOnly = true });

        var report = await harness.RunFullSyncAsync();

        Assert.Equal(SyncOutcome.Completed, report.Result!.Outcome);
        var pages = RecordPages(site, site.Spaces);
        Assert.Equal(pages.Count, harness.RecordPoint.Store.Binaries.Count);
        Assert.All(harness.RecordPoint.Store.Binaries, b => Assert.Equal("Legacy", b.Latest.SubmittedVia));
        var page = pages[0];
        Assert.Contains(page.BodyStorage, Encoding.UTF8.GetString(harness.RecordPoint.Store.FindBinary(page.Id, RecordMapper.ContentBinaryId(page.Id))!.Latest.Content));
    }

    [Fact]
    public async Task A_second_sync_of_an_unchanged_site_stores_no_second_version()
    {
        var site = NewSite(pagesPerSpace: 6);
        await using var harness = await SyncHarness.StartAsync(site);

        await harness.RunFullSyncAsync();
        var second = await harness.RunFullSyncAsync();

        Assert.Equal(SyncOutcome.Completed, second.Result!.Outcome);
        Assert.All(harness.RecordPoint.Store.Items, i => Assert.Equal(1, i.Versions));
        Assert.All(harness.RecordPoint.Store.Aggregations, a => Assert.Equal(1, a.Versions));
        Assert.All(harness.RecordPoint.Store.Binaries, b => Assert.Equal(1, b.Versions));
    }

    [Fact]
    public async Task A_rejected_record_is_reported_by_id_with_recordpoints_reason()
    {
        var site = NewSite(pagesPerSpace: 6);
        var page = RecordPages(site, site.Spaces)[0];
        await using var harness = await SyncHarness.StartAsync(site);
        harness.RecordPoint.FailNext(r => r.Path.Value == "/connector/api/Items" && Http.BodyContains(r, $"\"externalId\":\"{page.Id}\""), statusCode: 400, times: 1);

        var report = await harness.RunFullSyncAsync();

        Assert.Equal(SyncOutcome.CompletedWithFailures, report.Result!.Outcome);
        Assert.Equal(1, report.Result.Totals.Failures);
        var failure = Assert.Single(report.Result.FailureSamples);
        Assert.Equal(page.Id, failure.ItemId);
        Assert.Contains("answered 400", failure.Reason);
        Assert.Null(harness.RecordPoint.Store.FindItem(page.Id));
    }
}
