using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace ConfluenceConnector.Core.Confluence.OAuth;

/// <summary>
/// A pending authorisation: the PKCE verifier, the hash of the browser binding and when it stops being valid.
/// Stored under the hash of its <c>state</c>, never under the state itself.
/// </summary>
public sealed record PendingAuthorization(string CodeVerifier, string BindingHash, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"PendingAuthorization {{ ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>Where pending authorisations wait for their callback. <see cref="TakeAsync"/> returns an entry at most once.</summary>
public interface IOAuthStateStore
{
    Task SaveAsync(string key, PendingAuthorization pending, CancellationToken cancellationToken);

    /// <summary>Removes and returns the entry; null when it never existed or was already taken.</summary>
    Task<PendingAuthorization?> TakeAsync(string key, CancellationToken cancellationToken);
}

/// <summary>State in process memory: the local runner, where the authorise and callback sides are one process.</summary>
public sealed class InMemoryOAuthStateStore : IOAuthStateStore
{
    private readonly ConcurrentDictionary<string, PendingAuthorization> entries = new(StringComparer.Ordinal);

    public Task SaveAsync(string key, PendingAuthorization pending, CancellationToken cancellationToken)
    {
        entries[key] = pending;
        return Task.CompletedTask;
    }

    public Task<PendingAuthorization?> TakeAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(entries.TryRemove(key, out var pending) ? pending : null);
}

/// <summary>
/// State as blobs in the app's storage, so that a callback served by another instance finds it. Taking an entry
/// deletes its blob on the ETag that was read: of two concurrent callbacks with the same state only one wins.
/// </summary>
public sealed class BlobOAuthStateStore(BlobContainerClient container) : IOAuthStateStore
{
    public async Task SaveAsync(string key, PendingAuthorization pending, CancellationToken cancellationToken)
    {
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await container.GetBlobClient(key).UploadAsync(BinaryData.FromObjectAsJson(pending), overwrite: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PendingAuthorization?> TakeAsync(string key, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(key);
        try
        {
            var download = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            await blob.DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, new BlobRequestConditions { IfMatch = download.Value.Details.ETag }, cancellationToken).ConfigureAwait(false);
            return download.Value.Content.ToObjectFromJson<PendingAuthorization>();
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
