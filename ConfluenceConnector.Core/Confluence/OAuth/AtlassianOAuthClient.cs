using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ConfluenceConnector.Core.Configuration;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Confluence.OAuth;

/// <summary>
/// Atlassian's OAuth 2.0 (3LO) endpoints: the authorise URL, code exchange, refresh, accessible-resources and /me.
/// The app is a confidential client: every token call carries the client secret. Failures never echo a code,
/// token or secret.
/// </summary>
public sealed class AtlassianOAuthClient(IHttpClientFactory httpClientFactory, IOptions<ConfluenceOptions> options)
{
    /// <summary>Name of the HttpClient for OAuth calls. It has no retry handler: a retried refresh could reuse a rotated token.</summary>
    public const string HttpClientName = "AtlassianOAuth";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The URL that asks the administrator to consent to <see cref="ConfluenceScopes.Required"/>.</summary>
    public Uri BuildAuthorizeUrl(string state, string codeChallenge)
    {
        var o = options.Value;
        var query = new Dictionary<string, string>
        {
            ["audience"] = "api.atlassian.com",
            ["client_id"] = o.ClientId ?? string.Empty,
            ["scope"] = string.Join(' ', ConfluenceScopes.Required),
            ["redirect_uri"] = o.CallbackUrl?.ToString() ?? string.Empty,
            ["state"] = state,
            ["response_type"] = "code",
            ["prompt"] = "consent",
            ["code_challenge"] = codeChallenge,
            ["code_challenge_method"] = "S256",
        };
        var encoded = string.Join('&', query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        return new Uri(Combine(o.AuthorizationServerUrl, "authorize") + "?" + encoded);
    }

    /// <summary>Exchanges an authorisation code (with the client secret and the PKCE verifier) for tokens.</summary>
    public Task<TokenResponse> ExchangeCodeAsync(string code, string codeVerifier, CancellationToken cancellationToken)
    {
        var o = options.Value;
        return PostTokenAsync(
            new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["client_id"] = o.ClientId ?? string.Empty,
                ["client_secret"] = o.ClientSecret ?? string.Empty,
                ["code"] = code,
                ["redirect_uri"] = o.CallbackUrl?.ToString() ?? string.Empty,
                ["code_verifier"] = codeVerifier,
            },
            "code exchange",
            cancellationToken);
    }

    /// <summary>Trades a refresh token for a new access token and a new (rotated) refresh token.</summary>
    public Task<TokenResponse> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var o = options.Value;
        return PostTokenAsync(
            new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["client_id"] = o.ClientId ?? string.Empty,
                ["client_secret"] = o.ClientSecret ?? string.Empty,
                ["refresh_token"] = refreshToken,
            },
            "token refresh",
            cancellationToken);
    }

    /// <summary>The sites the token may reach (in no fixed order).</summary>
    public async Task<IReadOnlyList<AccessibleResource>> GetAccessibleResourcesAsync(string accessToken, CancellationToken cancellationToken) =>
        await GetAsync<List<AccessibleResource>>("oauth/token/accessible-resources", accessToken, cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary>The user who authorised the app.</summary>
    public async Task<AtlassianUser> GetMeAsync(string accessToken, CancellationToken cancellationToken) =>
        await GetAsync<AtlassianUser>("me", accessToken, cancellationToken).ConfigureAwait(false)
        ?? throw new AtlassianOAuthException("GET /me returned no user.", null, HttpStatusCode.OK);

    private async Task<TokenResponse> PostTokenAsync(Dictionary<string, string> body, string what, CancellationToken cancellationToken)
    {
        var url = Combine(options.Value.AuthorizationServerUrl, "oauth/token");
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) }, $"POST /oauth/token ({what})", cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            throw new AtlassianOAuthException(
                $"Atlassian refused the {what}: {(int)response.StatusCode} {error.Error ?? response.ReasonPhrase}{(error.Description is null ? string.Empty : $" ({error.Description})")}.",
                error.Error,
                response.StatusCode);
        }

        var tokens = await ReadJsonAsync<TokenResponse>(response, $"POST /oauth/token ({what})", cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(tokens?.AccessToken))
        {
            throw new AtlassianOAuthException($"Atlassian's answer to the {what} has no access token.", null, response.StatusCode);
        }

        return tokens;
    }

    private async Task<T?> GetAsync<T>(string path, string accessToken, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Combine(options.Value.ApiGatewayUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await SendAsync(request, $"GET /{path}", cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            throw new AtlassianOAuthException($"GET /{path} answered {(int)response.StatusCode} {error.Error ?? error.Description ?? response.ReasonPhrase}.", error.Error, response.StatusCode);
        }

        return await ReadJsonAsync<T>(response, $"GET /{path}", cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                return await httpClientFactory.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new AtlassianOAuthException($"{what} failed: {e.Message}", null, e.StatusCode, e);
            }
        }
    }

    private static async Task<T?> ReadJsonAsync<T>(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new AtlassianOAuthException($"{what} returned a body that is not the expected JSON.", null, response.StatusCode, e);
        }
    }

    private static async Task<(string? Error, string? Description)> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json, cancellationToken).ConfigureAwait(false);
            if (body.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var error = body.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            var description = body.TryGetProperty("error_description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()
                : body.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return (error, description);
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or NotSupportedException)
        {
            return (null, null);
        }
    }

    private static Uri Combine(Uri root, string path) => new(root.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + path);
}
