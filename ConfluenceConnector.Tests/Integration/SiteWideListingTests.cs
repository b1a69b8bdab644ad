using System.Security.Cryptography;
using System.Text;
using ConfluenceConnector.Cli.Engine;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Mapping;
using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Core.Sync.SiteIndex;
using ConfluenceConnector.Simulators.Common;
using ConfluenceConnector.Simulators.Confluence;
using ConfluenceConnector.Simulators.RecordPoint;
using ConfluenceConnector.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ConfluenceConnector.Tests.Integration;

/// <summary>
/// Sync:ListingStrategy end to end: SiteWide (site-wide listings into the run's site index) and PerContent must leave
/// RecordPoint holding exactly the same records and binaries, SiteWide for far fewer Confluence points.
/// </summary>
public sealed class SiteWideListingTests(ITestOutputHelper output)
{
    /// <summary>Spaces of every kind, comments with reply threads (footer and inline), attachments and shared labels, also on blog posts and on trashed pages.</summary>
    private static ConfluenceSite NewSite() => ConfluenceSiteGenerator.Generate(new SiteSpec
    {
        Seed = 23,
        Spaces = 4,
        PagesPerSpace = 25,
        PersonalSpaces = 1,
        ArchivedSpaces = 1,
        MaxBodyBytes = 1500,
        BlogPostsPerSpace = 3,
        FooterCommentsPerPage = 1.5,
        InlineCommentsPerPage = 0.6,
        ReplyFraction = 0.5,
        AttachmentsPerPage = 1.0,
        MaxAttachmentBytes = 4096,
        LabelsPerPage = 1.5,
    });

    private async Task<(SyncReport Report, SyncHarness Harness)> SyncAsync(ConfluenceSite site, string strategy, ConfluenceSimulatorOptions? confluence = null, Action<SyncHarness>? configure = null)
    {
        var harness = await SyncHarness.StartAsync(site, confluenceOptions: confluence);
        harness.Settings["Sync:ListingStrategy"] = strategy;
        configure?.Invoke(harness);
        var report = await harness.RunFullSyncAsync();
        var t = report.Result?.Totals;
        output.WriteLine($"{strategy}: {report.Result?.Outcome}, {t?.Pages + t?.BlogPosts} record(s), simulator {harness.Confluence.Points.Requests} request(s) / {harness.Confluence.Points.Total} point(s); "
            + $"site index {t?.SiteIndexRequests} / {t?.SiteIndexPoints}, spaces {t?.ConfluenceRequests} / {t?.ConfluencePoints}; "
            + $"{(double)harness.Confluence.Points.Total / Math.Max(1, (t?.Pages + t?.BlogPosts) ?? 1):F2} point(s) per record");
        foreach (var failure in report.Result?.FailureSamples ?? [])
        {
            output.WriteLine($"failure {failure.ItemId} ({failure.Kind}): {failure.Reason}");
        }

        return (report, harness);
    }

    /// <summary>
    /// Every record (all its fields but timestamps of receipt) and every binary (metadata and a hash of its bytes), in a
    /// stable order. Each harness's Confluence simulator has its own port: the site root in links is written as {site}.
    /// </summary>
    private static List<string> Holdings(SyncHarness harness)
    {
        var root = harness.Confluence.BaseUrl.GetLeftPart(UriPartial.Authority);
        string Site(string text) => text.Replace(root, "{site}", StringComparison.Ordinal);
        byte[] Bytes(StoredBinary b) => b.BinaryExternalId.EndsWith("-content", StringComparison.Ordinal) || b.BinaryExternalId.EndsWith("-comments", StringComparison.Ordinal)
            ? Encoding.UTF8.GetBytes(Site(Encoding.UTF8.GetString(b.Content)))
            : b.Content;
        var store = harness.RecordPoint.Store;
        return [.. Lines().Select(Site).Order(StringComparer.Ordinal)];

        IEnumerable<string> Lines() =>
        [
            .. store.Items.Select(i => $"item {i.ExternalId} v{i.Versions}: {i.ParentExternalId}|{i.Title}|{i.Author}|{i.ContentVersion}|{i.Location}|{i.MediaType}|{i.MimeType}|{i.SourceCreatedBy}|{i.SourceCreatedDate:O}|{i.SourceLastModifiedBy}|{i.SourceLastModifiedDate:O}|"
            + string.Join(";", i.SourceProperties.Select(p => $"{p.Name}={p.Value}"))),
            .. store.Binaries.Select(b => $"binary {b.ItemExternalId}/{b.BinaryExternalId} v{b.Versions}: {b.FileName}|{b.MimeType}|{b.FileSize}|{Convert.ToHexString(SHA256.HashData(Bytes(b)))}"),
            .. store.Aggregations.Select(a => $"aggregation {a.ExternalId} v{a.Versions}: {a.Title}|{a.Location}"),
        ];
    }

    [Fact]
    public async Task SiteWide_and_PerContent_leave_identical_records_and_SiteWide_spends_little_more_than_the_objects_it_must_read()
    {
        var (perContent, perContentHarness) = await SyncAsync(NewSite(), "PerContent");
        await using var _ = perContentHarness;
        var site = NewSite();
        var (siteWide, harness) = await SyncAsync(site, "SiteWide");
        await using var __ = harness;

        Assert.Equal(SyncOutcome.Completed, perContent.Result!.Outcome);
        Assert.Equal(SyncOutcome.Completed, siteWide.Result!.Outcome);
        Assert.Equal(ListingStrategy.PerContent, perContent.Result.Totals.Listing);
        Assert.Equal(ListingStrategy.SiteWide, siteWide.Result.Totals.Listing);
        Assert.Equal(0, perContent.Result.Totals.SiteIndexSeconds);
        Assert.True(siteWide.Result.Totals.SiteIndexSeconds > 0, "the index build's duration is reported");
        Assert.Equal(Holdings(perContentHarness), Holdings(harness));
        Assert.Equal(perContent.Result.Totals with { Listing = null, ConfluenceRequests = 0, ConfluencePoints = 0 }, siteWide.Result.Totals with { Listing = null, ConfluenceRequests = 0, ConfluencePoints = 0, SiteIndexObjects = 0, SiteIndexRequests = 0, SiteIndexPoints = 0, SiteIndexSeconds = 0 });

        // Every comment and reply of every record is in its comments binary, nested under its parent.
        var store = harness.RecordPoint.Store;
        var records = store.Items.Select(i => i.ExternalId).ToHashSet(StringComparer.Ordinal);
        var comments = site.Comments.Where(c => c.Status == "current" && records.Contains(c.ContainerId)).ToList();
        Assert.Contains(comments, c => c.ParentCommentId is not null && c.Kind == "inline");
        Assert.Contains(comments, c => c.ContainerType == "blogpost");
        foreach (var comment in comments)
        {
            var html = Encoding.UTF8.GetString(store.FindBinary(comment.ContainerId, RecordMapper.CommentsBinaryId(comment.ContainerId))!.Content);
            Assert.Contains(comment.ParentCommentId is { } parent ? $"data-comment-id=\"{comment.Id}\" data-parent-id=\"{parent}\"" : $"data-comment-id=\"{comment.Id}\">", html);
        }

        // Points: the unavoidable part is every object the listings must return (spaces, records, every comment,
        // attachment and label of the site, each label on each record) plus each download (one request, one object);
        // what SiteWide adds is one request per listing page (250 objects) and the label walks (two per label).
        var recordsInSite = site.Pages.Concat(site.BlogPosts).Where(p => p.Status is "current" or "archived").ToList();
        var labelled = recordsInSite.Sum(p => site.Labels.TryGetValue(p.Id, out var l) ? l.Count : 0);
        var distinctLabels = site.Labels.Values.SelectMany(l => l).DistinctBy(l => l.Id).Count();
        var downloads = site.Attachments.Count(a => a.Status == "current" && records.Contains(a.ContainerId));
        var bound = site.Spaces.Count + recordsInSite.Count + site.Comments.Count(c => c.Status == "current") + site.Attachments.Count(a => a.Status == "current")
            + distinctLabels + labelled + (2 * downloads);
        var points = harness.Confluence.Points.Total;
        output.WriteLine($"SiteWide {points} point(s) against a lower bound of {bound}; PerContent {perContentHarness.Confluence.Points.Total}");
        Assert.InRange(points, bound, (long)(1.1 * bound));

        // PerContent pays at least 4 requests per record (labels, footer, inline, attachments) and one per comment on top
        // of the same objects; SiteWide's requests are a small fraction of that.
        Assert.True(harness.Confluence.Points.Requests * 4 < perContentHarness.Confluence.Points.Requests, $"SiteWide {harness.Confluence.Points.Requests} request(s) against PerContent's {perContentHarness.Confluence.Points.Requests}");
        Assert.True(points < perContentHarness.Confluence.Points.Total - (4 * recordsInSite.Count), $"SiteWide {points} point(s) against PerContent's {perContentHarness.Confluence.Points.Total}");
        Assert.Equal(points, siteWide.Result.Totals.SiteIndexPoints + siteWide.Result.Totals.ConfluencePoints + site.Spaces.Count + 2);

        // The run's index is gone once it ends.
        Assert.Empty(harness.SiteIndex.Runs);
        Assert.Equal(1, harness.SiteIndex.Deletions);
    }

    [Fact]
    public async Task Excluded_spaces_children_never_reach_RecordPoint_and_a_second_SiteWide_sync_submits_nothing()
    {
        var site = NewSite();
        var excluded = site.Spaces.First(s => s.Type == "global" && site.Pages.Any(p => p.SpaceId == s.Id && site.Comments.Any(c => c.ContainerId == p.Id)) && site.Attachments.Any(a => site.Pages.Any(p => p.Id == a.ContainerId && p.SpaceId == s.Id)));
        var ledger = Path.Combine(Path.GetTempPath(), $"ledger-{Guid.NewGuid():N}.db");
        var (first, harness) = await SyncAsync(site, "Auto", configure: h =>
        {
            h.Settings["Confluence:SpaceFilter:Exclude:0"] = excluded.Key;
            h.Settings["Ledger:Path"] = ledger;
        });
        await using var _ = harness;
        using var cleanup = new LedgerFile(ledger);

        Assert.Equal(SyncOutcome.Completed, first.Result!.Outcome);
        Assert.Equal(ListingStrategy.SiteWide, first.Result.Totals.Listing);
        Assert.InRange(first.Result.Totals.SiteIndexObjects, 1, long.MaxValue);
        var store = harness.RecordPoint.Store;
        var excludedContent = site.Pages.Concat(site.BlogPosts).Where(p => p.SpaceId == excluded.Id).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(store.Items, i => excludedContent.Contains(i.ExternalId));
        var binaryIds = store.Binaries.Select(b => b.BinaryExternalId).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(site.Attachments.Where(a => excludedContent.Contains(a.ContainerId)), a => binaryIds.Contains(a.Id));
        var allComments = string.Join("\n", store.Binaries.Where(b => b.BinaryExternalId.EndsWith("-comments", StringComparison.Ordinal)).Select(b => Encoding.UTF8.GetString(b.Content)));
        Assert.DoesNotContain(site.Comments.Where(c => excludedContent.Contains(c.ContainerId)), c => allComments.Contains($"data-comment-id=\"{c.Id}\"", StringComparison.Ordinal));

        var submissions = Submissions(harness.RecordPoint);
        var downloads = harness.Confluence.Requests["GET /wiki/rest/api/content/{id}/child/attachment/{attachmentId}/download"];
        var second = await harness.RunFullSyncAsync();

        Assert.Equal(SyncOutcome.Completed, second.Result!.Outcome);
        Assert.Equal(ListingStrategy.SiteWide, second.Result.Totals.Listing);
        Assert.Equal(0, second.Result.Totals.RecordsSubmitted);
        Assert.Equal(first.Result.Totals.RecordsSubmitted, second.Result.Totals.RecordsUnchanged);
        Assert.Equal(submissions, Submissions(harness.RecordPoint));
        Assert.Equal(downloads, harness.Confluence.Requests["GET /wiki/rest/api/content/{id}/child/attachment/{attachmentId}/download"]);
        Assert.Empty(harness.SiteIndex.Runs);
        Assert.Equal(2, harness.SiteIndex.Deletions);
    }

    private sealed class LedgerFile(string path) : IDisposable
    {
        public void Dispose() => File.Delete(path);
    }

    private static long Submissions(RecordPointSimulator recordPoint) =>
        recordPoint.Requests.ByRoute.Where(r => r.Key.StartsWith("POST /connector/api/Items", StringComparison.Ordinal) || r.Key.Contains("/Binaries", StringComparison.Ordinal)).Sum(r => r.Value);

    [Fact]
    public async Task A_spent_quota_while_the_site_index_is_built_waits_on_a_durable_timer_and_the_sync_loses_nothing()
    {
        var (baseline, baselineHarness) = await SyncAsync(NewSite(), "PerContent", configure: h => h.Settings["Sync:PageSize"] = "5");
        await using var _ = baselineHarness;

        // A window's points cover any single listing page (labels walk their pages inside one activity) but a fraction
        // of the index build, so the wall is met while the index is built and again while the spaces sync.
        var quota = FaultProfile.WithQuota(points: 400, window: TimeSpan.FromSeconds(2));
        var (report, harness) = await SyncAsync(NewSite(), "SiteWide", new ConfluenceSimulatorOptions { Faults = quota }, h =>
        {
            h.Settings["Sync:PageSize"] = "5";
            h.Settings["Confluence:Pacing"] = "false";
            h.Settings["Confluence:Resilience:RetryBaseDelay"] = "00:00:00.020";
            h.Settings["Confluence:Resilience:MaxRetryDelay"] = "00:00:00.200";
            h.Settings["Confluence:Resilience:MaxRetryAfter"] = "00:00:00.100";
        });
        await using var __ = harness;

        Assert.Equal(SyncOutcome.Completed, report.Result!.Outcome);
        Assert.Empty(report.Result.FailureSamples);

        // The index build comes first and alone costs more than two windows' points: it met the wall and waited.
        Assert.True(report.Result.Totals.SiteIndexPoints > 2 * quota.Quota!.Points, $"the index build ({report.Result.Totals.SiteIndexPoints} points) must outlast two windows");
        Assert.InRange(harness.Confluence.Quota!.Windows, 3, int.MaxValue);
        Assert.Equal(Holdings(baselineHarness), Holdings(harness));
        Assert.Equal(baseline.Result!.Totals.Comments, report.Result.Totals.Comments);
    }

    [Fact]
    public async Task Burst_429s_503s_and_dropped_connections_during_the_site_wide_listings_lose_nothing()
    {
        var (baseline, baselineHarness) = await SyncAsync(NewSite(), "PerContent");
        await using var _ = baselineHarness;
        var profile = new FaultProfile { Name = "flaky", BurstEvery = 7, ServiceUnavailableEvery = 13, DropEvery = 29 };
        var (report, harness) = await SyncAsync(NewSite(), "SiteWide", new ConfluenceSimulatorOptions { Faults = profile }, h =>
        {
            h.Settings["Sync:PageSize"] = "10";
            h.Settings["Confluence:Resilience:RetryBaseDelay"] = "00:00:00.020";
            h.Settings["Confluence:Resilience:MaxRetryDelay"] = "00:00:00.200";
        });
        await using var __ = harness;

        Assert.Equal(SyncOutcome.Completed, report.Result!.Outcome);
        Assert.Empty(report.Result.FailureSamples);
        Assert.Equal(Holdings(baselineHarness), Holdings(harness));
        Assert.All(new[] { "429 burst", "503", "drop" }, kind => Assert.True(harness.Confluence.InjectedFaults[kind] > 0, $"no '{kind}' fault was injected"));
        Assert.Equal(baseline.Result!.Totals.Comments, report.Result.Totals.Comments);
    }

    [Fact]
    public async Task A_listing_that_keeps_failing_fails_the_run_with_the_reason_before_any_record_and_the_index_is_deleted()
    {
        var site = NewSite();
        var harness = await SyncHarness.StartAsync(site);
        await using var _ = harness;
        harness.Settings["Sync:ListingStrategy"] = "SiteWide";
        harness.Settings["Confluence:Resilience:MaxRetries"] = "1";
        harness.Settings["Confluence:Resilience:RetryBaseDelay"] = "00:00:00.020";
        harness.Confluence.FailNext(r => r.Path.Value == "/wiki/api/v2/inline-comments", statusCode: 500, times: 1000);

        var report = await harness.RunFullSyncAsync();

        Assert.Equal(SyncOutcome.Failed, report.Result!.Outcome);
        var reason = report.Result.FailureSamples[0].Reason;
        Assert.StartsWith("Building the site index failed", reason);
        Assert.Contains("InlineComments", reason);
        Assert.Contains("500", reason);
        Assert.Empty(harness.RecordPoint.Store.Items);
        Assert.Empty(report.Spaces);
        Assert.Empty(harness.SiteIndex.Runs);
        Assert.Equal(1, harness.SiteIndex.Deletions);
    }

    [Fact]
    public async Task A_batch_whose_host_lost_the_site_index_fails_loudly_instead_of_submitting_records_without_children()
    {
        var harness = await SyncHarness.StartAsync(NewSite());
        await using var _ = harness;
        harness.Settings["Sync:ListingStrategy"] = "SiteWide";
        harness.Settings["Sync:ActivityMaxAttempts"] = "1";
        var lost = new LostSiteIndex();
        await using var host = await LocalConnectorHost.StartAsync(new ConfigurationBuilder().AddInMemoryCollection(harness.Settings).Build(), services => services.AddSingleton<ISiteIndex>(lost), CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var report = await host.RunFullSyncAsync(onProgress: null, timeout.Token);

        Assert.Equal(SyncOutcome.CompletedWithFailures, report.Result!.Outcome);
        Assert.Empty(harness.RecordPoint.Store.Items);
        Assert.All(report.Spaces, s => Assert.Contains("holds 0 of 4 finished listings", s.Error));
    }

    /// <summary>A store that keeps nothing, as a host's store that never saw the run's index.</summary>
    private sealed class LostSiteIndex : ISiteIndex
    {
        public Task AddAsync(string runId, IReadOnlyCollection<IndexedChild> children, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyDictionary<string, ContentChildren>> GetAsync(string runId, IReadOnlyCollection<string> contentIds, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, ContentChildren>>(contentIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, _ => ContentChildren.None, StringComparer.Ordinal));

        public Task DeleteRunAsync(string runId, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public async Task Auto_lists_per_content_when_the_filter_keeps_one_space_of_many()
    {
        var site = NewSite();
        var kept = site.Spaces.First(s => s.Type == "global");
        var (report, harness) = await SyncAsync(site, "Auto", configure: h => h.Settings["Confluence:SpaceFilter:Include:0"] = kept.Key);
        await using var _ = harness;

        Assert.Equal(SyncOutcome.Completed, report.Result!.Outcome);
        Assert.Equal(ListingStrategy.PerContent, report.Result.Totals.Listing);
        Assert.Equal(0, report.Result.Totals.SiteIndexRequests);
        Assert.Equal(0, harness.Confluence.Requests["GET /wiki/api/v2/footer-comments"]);
        Assert.Equal([kept.Id], report.Spaces.Select(s => s.SpaceId));
    }
}
