using System.Net;
using ConfluenceConnector.Core;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Simulators.Confluence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ConfluenceConnector.Tests.Confluence;

public sealed class AttachmentDownloaderTests
{
    private const string DownloadRoute = "GET /wiki/rest/api/content/{id}/child/attachment/{attachmentId}/download";
    private const string MediaRoute = "GET /media/file/{fileId}/binary";

    private static ServiceProvider Services(ConfluenceSimulator sim) => new ServiceCollection().AddLogging().AddConfluenceConnector(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Confluence:Domain"] = "acme",
            ["Confluence:BaseUrl"] = sim.BaseUrl.ToString(),
            ["Confluence:AuthMode"] = "Basic",
            ["Confluence:Email"] = sim.Options.Email,
            ["Confluence:ApiToken"] = sim.Options.ApiToken,
            ["Confluence:Resilience:RetryBaseDelay"] = "00:00:00.010",
            ["Confluence:Resilience:MaxRetryDelay"] = "00:00:00.050",
        }).Build()).BuildServiceProvider();

    private static async Task<(ConfluenceSimulator Sim, SimPage Page, SimAttachment File, byte[] Bytes)> StartAsync(long size)
    {
        var site = new ConfluenceSite();
        var page = site.AddPage(site.AddSpace("ENG", "Engineering"), "Page");
        var file = site.AddAttachment(page, "big.bin", size);
        var sim = await ConfluenceSimulator.StartAsync(site);
        using var expected = new MemoryStream();
        await file.OpenContent().CopyToAsync(expected);
        return (sim, page, file, expected.ToArray());
    }

    private static Attachment Describe(SimPage page, SimAttachment file) =>
        new(file.Id, "current", file.Title, null, page.Id, null, file.MediaType, file.FileId, file.FileSize, null);

    private static async Task<byte[]> ReadAllAsync(AttachmentDownloader downloader, SimPage page, SimAttachment file)
    {
        await using var stream = await downloader.OpenAsync(page.Id, Describe(page, file), CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task A_200_from_the_download_endpoint_is_never_taken_as_the_file_but_retried_with_a_fresh_redirect()
    {
        var (sim, page, file, bytes) = await StartAsync(40_000);
        await using var _ = sim;
        await using var services = Services(sim);

        // Confluence always redirects: a 200 (here an error JSON, like the truncated body of the malformed-body fault) is a broken answer.
        sim.FailNext(r => r.Path.Value!.EndsWith("/download", StringComparison.Ordinal), statusCode: 200, times: 2);

        Assert.Equal(bytes, await ReadAllAsync(services.GetRequiredService<AttachmentDownloader>(), page, file));
        Assert.Equal(3, sim.Requests[DownloadRoute]);
        Assert.Equal(1, sim.Requests[MediaRoute]);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(500)]
    [InlineData(401)]
    public async Task A_media_host_failure_is_retried_with_a_fresh_redirect(int status)
    {
        var (sim, page, file, bytes) = await StartAsync(40_000);
        await using var _ = sim;
        await using var services = Services(sim);
        sim.FailNext(r => r.Path.Value!.StartsWith("/media/", StringComparison.Ordinal), status, times: 2);

        Assert.Equal(bytes, await ReadAllAsync(services.GetRequiredService<AttachmentDownloader>(), page, file));
        Assert.Equal(3, sim.Requests[DownloadRoute]);
        Assert.Equal(3, sim.Requests[MediaRoute]);
        Assert.Equal(0, sim.PendingFaults);
    }

    [Fact]
    public async Task A_body_that_breaks_off_resumes_from_a_fresh_redirect_and_the_reader_gets_the_whole_file()
    {
        var (sim, page, file, bytes) = await StartAsync(3 * 1024 * 1024 + 7);
        await using var _ = sim;
        await using var services = Services(sim);
        sim.BreakNextMediaDownloads(2);

        Assert.Equal(bytes, await ReadAllAsync(services.GetRequiredService<AttachmentDownloader>(), page, file));
        Assert.Equal(3, sim.Requests[DownloadRoute]);
        Assert.Equal(3, sim.Requests[MediaRoute]);
    }

    [Fact]
    public async Task Attempts_are_bounded_and_the_failure_names_the_attachment_not_the_media_token()
    {
        var (sim, page, file, _) = await StartAsync(1000);
        await using var _ = sim;
        await using var services = Services(sim);
        sim.FailNext(r => r.Path.Value!.StartsWith("/media/", StringComparison.Ordinal), 503, times: 100);

        var error = await Assert.ThrowsAsync<ConfluenceApiException>(() => ReadAllAsync(services.GetRequiredService<AttachmentDownloader>(), page, file));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains(file.Id, error.Message);
        Assert.DoesNotContain("token", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(AttachmentDownloader.MaxAttempts, sim.Requests[DownloadRoute]);
        Assert.Equal(AttachmentDownloader.MaxAttempts, sim.Requests[MediaRoute]);
    }

    [Fact]
    public async Task A_download_endpoint_404_is_not_retried()
    {
        var (sim, page, file, _) = await StartAsync(1000);
        await using var _ = sim;
        await using var services = Services(sim);
        sim.FailNext(r => r.Path.Value!.EndsWith("/download", StringComparison.Ordinal), 404, times: 100);

        var error = await Assert.ThrowsAsync<ConfluenceApiException>(() => ReadAllAsync(services.GetRequiredService<AttachmentDownloader>(), page, file));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(1, sim.Requests[DownloadRoute]);
    }

    [Fact]
    public async Task Each_open_follows_a_fresh_redirect_to_the_media_host_without_authorization_and_streams_the_bytes()
    {
        var site = new ConfluenceSite();
        var page = site.AddPage(site.AddSpace("ENG", "Engineering"), "Page");
        var file = site.AddAttachment(page, "big.bin", 3 * 1024 * 1024 + 7);
        await using var sim = await ConfluenceSimulator.StartAsync(site);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Confluence:Domain"] = "acme",
            ["Confluence:BaseUrl"] = sim.BaseUrl.ToString(),
            ["Confluence:AuthMode"] = "Basic",
            ["Confluence:Email"] = sim.Options.Email,
            ["Confluence:ApiToken"] = sim.Options.ApiToken,
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddConfluenceConnector(configuration).BuildServiceProvider();
        var downloader = services.GetRequiredService<AttachmentDownloader>();
        var attachment = new Attachment(file.Id, "current", file.Title, null, page.Id, null, file.MediaType, file.FileId, file.FileSize, null);
        using var expected = new MemoryStream();
        await file.OpenContent().CopyToAsync(expected);

        for (var i = 0; i < 2; i++)
        {
            await using var stream = await downloader.OpenAsync(page.Id, attachment, CancellationToken.None);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(expected.ToArray(), copy.ToArray());
        }

        Assert.Equal(2, sim.Requests["GET /wiki/rest/api/content/{id}/child/attachment/{attachmentId}/download"]);
        Assert.Equal(2, sim.Requests["GET /media/file/{fileId}/binary"]);
    }
}
