using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;

namespace ConfluenceConnector.Core.Confluence.OAuth;

/// <summary>Serialises token refreshes across every worker of the app: a rotated refresh token must never be reused.</summary>
public interface IRefreshLock
{
    /// <summary>Waits for the lock; disposing the result releases it.</summary>
    Task<IAsyncDisposable> AcquireAsync(CancellationToken cancellationToken);
}

/// <summary>One process (the local runner, tests): a semaphore, plus an exclusive lock file when a path is given.</summary>
public sealed class LocalRefreshLock(string? lockFilePath) : IRefreshLock
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<IAsyncDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return new Releaser(gate, lockFilePath is null ? null : await OpenExclusiveAsync(lockFilePath, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private static async Task<FileStream> OpenExclusiveAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private sealed class Releaser(SemaphoreSlim gate, FileStream? file) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (file is not null)
            {
                await file.DisposeAsync().ConfigureAwait(false);
            }

            gate.Release();
        }
    }
}

/// <summary>
/// A blob lease on the app's storage: one holder across every instance. The lease (60 s) outlives a refresh by far
/// and frees itself if the holder dies.
/// </summary>
public sealed class BlobLeaseRefreshLock(BlobContainerClient container) : IRefreshLock
{
    public const string BlobName = "confluence-oauth-refresh.lock";
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);

    public async Task<IAsyncDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var blob = container.GetBlobClient(BlobName);
        if (!await blob.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await blob.UploadAsync(BinaryData.Empty, overwrite: false, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another instance created it first: the lease below is what matters.
            }
        }

        var lease = blob.GetBlobLeaseClient();
        while (true)
        {
            try
            {
                await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken).ConfigureAwait(false);
                return new Releaser(lease);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private sealed class Releaser(BlobLeaseClient lease) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await lease.ReleaseAsync().ConfigureAwait(false);
    }
}
