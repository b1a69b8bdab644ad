using System.Net.Http.Headers;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Sync;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Confluence.OAuth;

/// <summary>
/// OAuth 2.0 (3LO): calls go to <c>{ApiGatewayUrl}/ex/confluence/{cloudId}</c> with a Bearer access token. The access
/// token is cached until shortly before it expires; a refresh runs under <see cref="IRefreshLock"/> (one at a time
/// across every worker), starts from the refresh token in the store (re-read after the lock is taken, so a token
/// another worker rotated is never reused) and stores the rotated refresh token before the lock is released.
/// A dead grant surfaces as <see cref="PermanentSyncException"/> saying that re-authorisation is needed.
/// </summary>
public sealed class OAuthConfluenceAuthenticator(
    AtlassianOAuthClient oauth,
    ITokenStore store,
    IRefreshLock refreshLock,
    IOptions<ConfluenceOptions> options,
    TimeProvider time,
    ILogger<OAuthConfluenceAuthenticator> logger) : IConfluenceAuthenticator
{
    /// <summary>Longest margin before expiry at which a cached access token is replaced.</summary>
    public static readonly TimeSpan MaxRefreshMargin = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim localGate = new(1, 1);
    private volatile CachedAccessToken? cached;
    private Uri? apiRoot;

    /// <summary>The gateway root of the authorised site; reads the cloud id from the token store on first use.</summary>
    public Uri ApiRoot => apiRoot ??= GatewayRoot(LoadRecordAsync(CancellationToken.None).GetAwaiter().GetResult().CloudId);

    public async ValueTask<AuthenticationHeaderValue> GetAuthorizationAsync(CancellationToken cancellationToken)
    {
        if (cached is { } token && token.IsFresh(time.GetUtcNow()))
        {
            return token.Header;
        }

        await localGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (cached is { } again && again.IsFresh(time.GetUtcNow()))
            {
                return again.Header;
            }

            await RefreshAsync(cancellationToken).ConfigureAwait(false);
            return cached!.Header;
        }
        finally
        {
            localGate.Release();
        }
    }

    /// <summary>Drops the cached access token if it is still <paramref name="rejected"/>, so that the next call refreshes.</summary>
    public void ForgetAccessToken(AuthenticationHeaderValue rejected)
    {
        if (cached is { } token && ReferenceEquals(token.Header, rejected))
        {
            Interlocked.CompareExchange(ref cached, null, token);
        }
    }

    /// <summary>Refreshes now, whatever the cache holds (the keep-alive timer); returns the stored record after rotation.</summary>
    public async Task<OAuthTokenRecord> RefreshNowAsync(CancellationToken cancellationToken)
    {
        await localGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            localGate.Release();
        }
    }

    private async Task<OAuthTokenRecord> RefreshAsync(CancellationToken cancellationToken)
    {
        await using (await refreshLock.AcquireAsync(cancellationToken).ConfigureAwait(false))
        {
            var record = await LoadRecordAsync(cancellationToken).ConfigureAwait(false);
            TokenResponse tokens;
            try
            {
                tokens = await oauth.RefreshAsync(record.RefreshToken, cancellationToken).ConfigureAwait(false);
            }
            catch (AtlassianOAuthException e) when (e.IsInvalidGrant)
            {
                logger.LogError("Confluence OAuth refresh refused ({Error}): the consent is revoked or expired; re-authorisation is needed", e.Error);
                throw ReauthorizationRequired(options.Value, "Atlassian refused the refresh token: the consent was revoked or has expired", e);
            }
            catch (AtlassianOAuthException e) when (e.StatusCode is System.Net.HttpStatusCode.Unauthorized)
            {
                throw new PermanentSyncException($"Atlassian refused the app's client credentials on token refresh: check Confluence:ClientId and Confluence:ClientSecret against the Atlassian developer console. {e.Message}", e);
            }

            var now = time.GetUtcNow();
            var rotated = record with { RefreshToken = tokens.RefreshToken ?? record.RefreshToken, RefreshedAt = now };
            await store.SaveAsync(rotated, cancellationToken).ConfigureAwait(false);
            cached = new CachedAccessToken(new AuthenticationHeaderValue("Bearer", tokens.AccessToken), now, now.AddSeconds(tokens.ExpiresIn));
            apiRoot ??= GatewayRoot(rotated.CloudId);
            logger.LogInformation("Confluence OAuth access token refreshed for site {SiteUrl}; valid {Seconds} s", rotated.SiteUrl, tokens.ExpiresIn);
            return rotated;
        }
    }

    private async Task<OAuthTokenRecord> LoadRecordAsync(CancellationToken cancellationToken) =>
        await store.GetAsync(cancellationToken).ConfigureAwait(false)
        ?? throw ReauthorizationRequired(options.Value, "the connector has not been authorised yet", null);

    private Uri GatewayRoot(string cloudId) =>
        new(options.Value.ApiGatewayUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/ex/confluence/" + Uri.EscapeDataString(cloudId));

    /// <summary>How the message of a failure that only a new consent can fix begins.</summary>
    public const string ReauthorizationNeeded = "Confluence re-authorisation is needed";

    /// <summary>The failure that stops a sync cleanly when only a new consent can help; names where to give it.</summary>
    public static PermanentSyncException ReauthorizationRequired(ConfluenceOptions options, string reason, Exception? inner) =>
        new($"{ReauthorizationNeeded}: {reason}. {OAuthLinks.HowToAuthorize(options)}", inner);

    private sealed record CachedAccessToken(AuthenticationHeaderValue Header, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
    {
        public bool IsFresh(DateTimeOffset now)
        {
            var lifetime = ExpiresAt - IssuedAt;
            var margin = lifetime / 4 < MaxRefreshMargin ? lifetime / 4 : MaxRefreshMargin;
            return now < ExpiresAt - margin;
        }

        public override string ToString() => $"CachedAccessToken {{ ExpiresAt = {ExpiresAt:O} }}";
    }
}

/// <summary>Where an administrator (re-)authorises the connector.</summary>
public static class OAuthLinks
{
    /// <summary>The authorise endpoint next to the callback: <c>.../api/oauth/callback</c> -> <c>.../api/oauth/authorize</c>.</summary>
    public static Uri? AuthorizeEndpoint(ConfluenceOptions options) =>
        options.CallbackUrl is { IsAbsoluteUri: true, IsLoopback: false } callback ? new Uri(callback, "authorize") : null;

    /// <summary>One sentence: open the authorise endpoint (Azure) or run the local runner's <c>authorize</c> command.</summary>
    public static string HowToAuthorize(ConfluenceOptions options) => AuthorizeEndpoint(options) is { } url
        ? $"An Atlassian site administrator must open {url} (with the function key) and consent again."
        : "Run 'confluence-connector authorize' and consent again.";
}
