using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace ConfluenceConnector.Simulators.Confluence.OAuth;

/// <summary>Settings of the simulated Atlassian authorisation server and API gateway.</summary>
public sealed class AtlassianOAuthSimulatorOptions
{
    public string ClientId { get; set; } = "sim-client-id";

    public string ClientSecret { get; set; } = "sim-client-secret";

    /// <summary>The site's cloud id: the gateway serves it under <c>/ex/confluence/{CloudId}</c>.</summary>
    public string CloudId { get; set; } = "3f6a5b1e-0c9d-4e8b-9a7f-1d2c3b4a5e6f";

    /// <summary>The site URL in accessible-resources; null = <c>https://{site name}.atlassian.net</c>.</summary>
    public string? SiteUrl { get; set; }

    /// <summary>Other sites the consent also covers (listed before the simulated one).</summary>
    public List<(string Id, string Name, string Url)> OtherSites { get; set; } = [];

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a rotated refresh token may still be used; beyond it, reuse kills the whole chain.</summary>
    public TimeSpan RefreshTokenReuseLeeway { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Test switch: the user clicks "Cancel" on the consent screen.</summary>
    public bool DenyConsent { get; set; }

    /// <summary>Test switch: the scopes granted whatever was asked (e.g. a missing or a write scope); null = as asked.</summary>
    public IReadOnlyList<string>? GrantedScopes { get; set; }

    public string AccountId { get; set; } = "5b10ac8d82e05b22cc7d4ef5";

    public string AccountName { get; set; } = "Site Admin";

    public string AccountEmail { get; set; } = "admin@example.com";

    public TimeProvider Time { get; set; } = TimeProvider.System;
}

/// <summary>
/// Atlassian's OAuth 2.0 (3LO) server behaviour: consent, single-use short-lived codes bound to the redirect URI,
/// confidential-client token exchange, rotating refresh tokens with a reuse leeway and chain invalidation beyond it,
/// and Bearer tokens with granular scopes checked by the gateway.
/// </summary>
public sealed class AtlassianAuthorizationServer(AtlassianOAuthSimulatorOptions options, string siteName)
{
    private readonly ConcurrentDictionary<string, IssuedCode> codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IssuedAccessToken> accessTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IssuedRefreshToken> refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> deadChains = new(StringComparer.Ordinal);
    private readonly Lock refreshLock = new();
    private int rotations;
    private int chainInvalidations;
    private int leewayReuses;

    public AtlassianOAuthSimulatorOptions Options { get; } = options;

    public string GatewayPathBase => "/ex/confluence/" + Options.CloudId;

    public string SiteUrl => Options.SiteUrl ?? $"https://{siteName}.atlassian.net";

    public string SiteName => siteName;

    /// <summary>Successful refresh-token rotations.</summary>
    public int Rotations => Volatile.Read(ref rotations);

    /// <summary>Token chains killed by reusing a rotated refresh token after the leeway.</summary>
    public int ChainInvalidations => Volatile.Read(ref chainInvalidations);

    /// <summary>Rotated refresh tokens used again within the leeway (tolerated, but a sign of racing refreshes).</summary>
    public int LeewayReuses => Volatile.Read(ref leewayReuses);

    /// <summary>
    /// The granular scope a /wiki path needs: the last resource named in a v2 path decides (read:page:confluence for
    /// /wiki/api/v2/spaces/{id}/pages, read:comment:confluence for /wiki/api/v2/footer-comments/{id}/children);
    /// the v1 attachment download needs readonly:content.attachment:confluence.
    /// </summary>
    public static string RequiredScope(string path)
    {
        if (!path.StartsWith("/wiki/api/v2/", StringComparison.Ordinal))
        {
            return path.EndsWith("/download", StringComparison.Ordinal) ? "readonly:content.attachment:confluence" : "read:content-details:confluence";
        }

        var resources = path["/wiki/api/v2/".Length..].Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => !long.TryParse(s, out _)).ToList();
        var last = resources.Count > 0 ? resources[^1] : string.Empty;
        return last switch
        {
            "spaces" => "read:space:confluence",
            "pages" or "blogposts" => "read:page:confluence",
            "footer-comments" or "inline-comments" => "read:comment:confluence",
            "attachments" => "read:attachment:confluence",
            "labels" => "read:label:confluence",
            "folders" => "read:folder:confluence",
            "children" or "descendants" or "ancestors" => resources.Count > 1 && resources[^2].EndsWith("-comments", StringComparison.Ordinal)
                ? "read:comment:confluence"
                : "read:hierarchical-content:confluence",
            _ => "read:content.metadata:confluence",
        };
    }

    /// <summary>The user revokes the app's access (Atlassian account > Connected apps): every token dies.</summary>
    public void RevokeConsent()
    {
        foreach (var chain in refreshTokens.Values.Select(r => r.Chain).Concat(accessTokens.Values.Select(a => a.Chain)))
        {
            deadChains[chain] = true;
        }
    }

    /// <summary>Every access token issued so far stops working before its announced expiry; refresh tokens live on.</summary>
    public void ExpireAccessTokens() => accessTokens.Clear();

    internal string IssueCode(string clientId, string redirectUri, IReadOnlyList<string> scopes)
    {
        var code = NewToken();
        codes[code] = new IssuedCode(clientId, redirectUri, scopes, Now + Options.AuthorizationCodeLifetime);
        return code;
    }

    internal TokenGrant ExchangeCode(string code, string clientId, string redirectUri)
    {
        if (!codes.TryRemove(code, out var issued) || Now >= issued.ExpiresAt || issued.ClientId != clientId)
        {
            return TokenGrant.Fail("invalid_grant", "Invalid authorization code");
        }

        if (!string.Equals(issued.RedirectUri, redirectUri, StringComparison.Ordinal))
        {
            return TokenGrant.Fail("invalid_grant", "redirect_uri does not match the one of the authorization request");
        }

        return Issue(NewToken(), issued.Scopes);
    }

    internal TokenGrant Refresh(string refreshToken)
    {
        lock (refreshLock)
        {
            if (!refreshTokens.TryGetValue(refreshToken, out var issued) || deadChains.ContainsKey(issued.Chain))
            {
                return TokenGrant.Fail("invalid_grant", "Unknown or invalid refresh token.");
            }

            if (issued.RotatedAt is { } rotatedAt)
            {
                if (Now - rotatedAt > Options.RefreshTokenReuseLeeway)
                {
                    deadChains[issued.Chain] = true;
                    Interlocked.Increment(ref chainInvalidations);
                    return TokenGrant.Fail("invalid_grant", "Refresh token reused after rotation: the token chain is revoked.");
                }

                Interlocked.Increment(ref leewayReuses);
            }
            else
            {
                refreshTokens[refreshToken] = issued with { RotatedAt = Now };
                Interlocked.Increment(ref rotations);
            }

            return Issue(issued.Chain, issued.Scopes);
        }
    }

    /// <summary>The scopes of a live access token, or null when it is unknown, expired or revoked.</summary>
    internal IReadOnlyList<string>? ValidateAccessToken(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return null;
        }

        return accessTokens.TryGetValue(authorization["Bearer ".Length..], out var token) && Now < token.ExpiresAt && !deadChains.ContainsKey(token.Chain)
            ? token.Scopes
            : null;
    }

    private TokenGrant Issue(string chain, IReadOnlyList<string> scopes)
    {
        var access = NewToken();
        accessTokens[access] = new IssuedAccessToken(chain, scopes, Now + Options.AccessTokenLifetime);
        string? refresh = null;
        if (scopes.Contains("offline_access"))
        {
            refresh = NewToken();
            refreshTokens[refresh] = new IssuedRefreshToken(chain, scopes, null);
        }

        return new TokenGrant(access, refresh, (int)Math.Ceiling(Options.AccessTokenLifetime.TotalSeconds), string.Join(' ', scopes), null, null);
    }

    private DateTimeOffset Now => Options.Time.GetUtcNow();

    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record IssuedCode(string ClientId, string RedirectUri, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt);

    private sealed record IssuedAccessToken(string Chain, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt);

    private sealed record IssuedRefreshToken(string Chain, IReadOnlyList<string> Scopes, DateTimeOffset? RotatedAt);
}

/// <summary>A token answer, or an OAuth error.</summary>
internal sealed record TokenGrant(string? AccessToken, string? RefreshToken, int ExpiresIn, string Scope, string? Error, string? ErrorDescription)
{
    public static TokenGrant Fail(string error, string description) => new(null, null, 0, string.Empty, error, description);
}
