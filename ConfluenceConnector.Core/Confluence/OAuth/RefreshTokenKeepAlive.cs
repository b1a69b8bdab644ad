using Microsoft.Extensions.Logging;

namespace ConfluenceConnector.Core.Confluence.OAuth;

/// <summary>What one keep-alive run did.</summary>
public sealed record KeepAliveResult(bool Refreshed, DateTimeOffset LastRefreshedAt, DateTimeOffset ConsentExpiresAt, bool ConsentExpiresSoon);

/// <summary>
/// Keeps the refresh token alive (Atlassian expires one unused for 90 days) by refreshing when the last refresh is
/// older than <see cref="RefreshAfter"/>, and warns when the 365-day consent horizon is near.
/// </summary>
public sealed class RefreshTokenKeepAlive(OAuthConfluenceAuthenticator authenticator, ITokenStore store, TimeProvider time, ILogger<RefreshTokenKeepAlive> logger)
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromDays(30);
    public static readonly TimeSpan ConsentLifetime = TimeSpan.FromDays(365);
    public static readonly TimeSpan ConsentWarning = TimeSpan.FromDays(30);

    /// <summary>Null when the connector was never authorised (nothing to keep alive).</summary>
    public async Task<KeepAliveResult?> RunAsync(CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            logger.LogWarning("Confluence OAuth keep-alive: the connector has not been authorised yet");
            return null;
        }

        var now = time.GetUtcNow();
        var refreshed = false;
        if (now - record.RefreshedAt >= RefreshAfter)
        {
            record = await authenticator.RefreshNowAsync(cancellationToken).ConfigureAwait(false);
            refreshed = true;
        }

        var consentExpiresAt = record.AuthorizedAt + ConsentLifetime;
        var soon = consentExpiresAt - now <= ConsentWarning;
        if (soon)
        {
            logger.LogWarning("Confluence OAuth consent for {SiteUrl} expires at {ExpiresAt:O}: re-authorise the connector before then", record.SiteUrl, consentExpiresAt);
        }

        return new KeepAliveResult(refreshed, record.RefreshedAt, consentExpiresAt, soon);
    }
}
