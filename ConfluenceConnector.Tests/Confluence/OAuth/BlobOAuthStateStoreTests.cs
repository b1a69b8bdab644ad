using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ConfluenceConnector.Core.Confluence.OAuth;
using Moq;

namespace ConfluenceConnector.Tests.Confluence.OAuth;

/// <summary>The scaled-out state store: one blob per pending authorisation, taken at most once.</summary>
public sealed class BlobOAuthStateStoreTests
{
    private static readonly PendingAuthorization Pending = new("verifier", "binding-hash", new DateTimeOffset(2026, 3, 1, 12, 10, 0, TimeSpan.Zero));

    [Fact]
    public async Task Saves_a_new_blob_named_by_the_key_and_never_overwrites()
    {
        var (container, blob) = Mocks("key-1");
        BinaryData? uploaded = null;
        blob.Setup(b => b.UploadAsync(It.IsAny<BinaryData>(), false, It.IsAny<CancellationToken>()))
            .Callback<BinaryData, bool, CancellationToken>((d, _, _) => uploaded = d)
            .ReturnsAsync(Response.FromValue(Mock.Of<BlobContentInfo>(), Mock.Of<Response>()));

        await new BlobOAuthStateStore(container.Object).SaveAsync("key-1", Pending, CancellationToken.None);

        Assert.Equal(Pending, uploaded!.ToObjectFromJson<PendingAuthorization>());
        container.Verify(c => c.CreateIfNotExistsAsync(It.IsAny<PublicAccessType>(), null, null, It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task Take_deletes_on_the_etag_it_read_and_returns_the_entry()
    {
        var (container, blob) = Mocks("key-1");
        var etag = new ETag("\"0x1\"");
        blob.Setup(b => b.DownloadContentAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(BlobsModelFactory.BlobDownloadResult(BinaryData.FromObjectAsJson(Pending), BlobsModelFactory.BlobDownloadDetails(eTag: etag)), Mock.Of<Response>()));
        blob.Setup(b => b.DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, It.Is<BlobRequestConditions>(c => c.IfMatch == etag), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Mock.Of<Response>());

        var taken = await new BlobOAuthStateStore(container.Object).TakeAsync("key-1", CancellationToken.None);

        Assert.Equal(Pending, taken);
        blob.VerifyAll();
    }

    [Theory]
    [InlineData(404)]
    [InlineData(412)]
    public async Task A_missing_entry_or_a_lost_race_for_it_gives_nothing(int status)
    {
        var (container, blob) = Mocks("key-1");
        blob.Setup(b => b.DownloadContentAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(BlobsModelFactory.BlobDownloadResult(BinaryData.FromObjectAsJson(Pending), BlobsModelFactory.BlobDownloadDetails(eTag: new ETag("\"0x1\""))), Mock.Of<Response>()));
        blob.Setup(b => b.DeleteAsync(It.IsAny<DeleteSnapshotsOption>(), It.IsAny<BlobRequestConditions>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(status, "gone"));

        Assert.Null(await new BlobOAuthStateStore(container.Object).TakeAsync("key-1", CancellationToken.None));
    }

    private static (Mock<BlobContainerClient> Container, Mock<BlobClient> Blob) Mocks(string name)
    {
        var container = new Mock<BlobContainerClient>();
        var blob = new Mock<BlobClient>();
        container.Setup(c => c.GetBlobClient(name)).Returns(blob.Object);
        container.Setup(c => c.CreateIfNotExistsAsync(It.IsAny<PublicAccessType>(), null, null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(Mock.Of<BlobContainerInfo>(), Mock.Of<Response>()));
        return (container, blob);
    }
}
