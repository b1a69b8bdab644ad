using System.Text.Json.Serialization;

namespace ConfluenceConnector.Core.Confluence.OAuth;

/// <summary>The answer of <c>POST /oauth/token</c>. Holds secrets: never log it.</summary>
public sealed class TokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; init; }

    [JsonPropertyName("expires_in")]
    public int ExpiresIn { get; init; }

    [JsonPropertyName("scope")]
    public string? Scope { get; init; }

    public override string ToString() => $"TokenResponse {{ ExpiresIn = {ExpiresIn}, Scope = {Scope} }}";
}

/// <summary>One site of <c>GET /oauth/token/accessible-resources</c>.</summary>
public sealed record AccessibleResource(string Id, string Name, string Url, IReadOnlyList<string>? Scopes);

/// <summary>The authorising user, from <c>GET /me</c>.</summary>
public sealed record AtlassianUser(
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("email")] string? Email);

/// <summary>
/// What the connector keeps after consent: the refresh token (a secret) and where and by whom it was granted.
/// <see cref="ToString"/> never shows the token.
/// </summary>
public sealed record OAuthTokenRecord(
    string RefreshToken,
    string CloudId,
    string SiteUrl,
    string SiteName,
    string AccountId,
    string? AccountName,
    IReadOnlyList<string> Scopes,
    DateTimeOffset AuthorizedAt,
    DateTimeOffset RefreshedAt)
{
    public override string ToString() =>
        $"OAuthTokenRecord {{ CloudId = {CloudId}, SiteUrl = {SiteUrl}, AccountId = {AccountId}, AuthorizedAt = {AuthorizedAt:O}, RefreshedAt = {RefreshedAt:O}, RefreshToken = *** }}";
}
