using Azure.Storage.Blobs;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.Confluence.OAuth;
using ConfluenceConnector.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ConfluenceConnector.Tests.Confluence.OAuth;

/// <summary>
/// What the Functions app uses when scaled out, on real blob storage (Azurite): the authorise state taken at most
/// once, and the blob-lease refresh lock serialising refreshes across instances.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AppStorageOAuthTests(AzuriteFixture azurite)
{
    private BlobContainerClient NewContainer() =>
        new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("oauth-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_state_saved_by_one_instance_is_taken_once_by_another()
    {
        var container = NewContainer();
        var pending = new PendingAuthorization("verifier", "binding", DateTimeOffset.UtcNow.AddMinutes(10));
        await new BlobOAuthStateStore(container).SaveAsync("key", pending, CancellationToken.None);

        var takers = Enumerable.Range(0, 8).Select(_ => new BlobOAuthStateStore(new BlobContainerClient(azurite.ConnectionString, container.Name))).ToList();
        var taken = await Task.WhenAll(takers.Select(t => t.TakeAsync("key", CancellationToken.None)));

        Assert.Equal(pending, Assert.Single(taken, t => t is not null));
    }

    [Fact]
    public async Task The_blob_lease_lets_one_holder_in_at_a_time()
    {
        var container = NewContainer();
        var first = new BlobLeaseRefreshLock(container);
        var second = new BlobLeaseRefreshLock(new BlobContainerClient(azurite.ConnectionString, container.Name));

        var held = await first.AcquireAsync(CancellationToken.None);
        var waiting = second.AcquireAsync(CancellationToken.None);
        var early = await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(1)));
        await held.DisposeAsync();
        await using var acquired = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotSame(waiting, early);
    }

    [Fact]
    public async Task Instances_refreshing_together_under_the_blob_lease_never_reuse_a_rotated_token()
    {
        await using var sim = await OAuthSimulatorFixture.StartAsync(o => o.RefreshTokenReuseLeeway = TimeSpan.Zero);
        var container = NewContainer();
        var instances = Enumerable.Range(0, 4)
            .Select(_ => sim.Services(s => s.AddSingleton<IRefreshLock>(new BlobLeaseRefreshLock(new BlobContainerClient(azurite.ConnectionString, container.Name)))))
            .ToList();
        try
        {
            Assert.True((await sim.AuthorizeAsync(instances[0])).Succeeded);

            await Task.WhenAll(instances.SelectMany(i => Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
                await i.GetRequiredService<IConfluenceAuthenticator>().GetAuthorizationAsync(CancellationToken.None)))));

            Assert.Equal(instances.Count, sim.Server.Rotations);
            Assert.Equal(0, sim.Server.LeewayReuses);
            Assert.Equal(0, sim.Server.ChainInvalidations);
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }
}
