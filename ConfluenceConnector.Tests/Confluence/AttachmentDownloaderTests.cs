using ConfluenceConnector.Core;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Simulators.Confluence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ConfluenceConnector.Tests.Confluence;

public sealed class AttachmentDownloaderTests
{
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
