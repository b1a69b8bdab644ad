using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace ConfluenceConnector.Simulators.Confluence.OAuth;

/// <summary>
/// auth.atlassian.com (<c>GET /authorize</c>, <c>POST /oauth/token</c>) and the api.atlassian.com routes the connector
/// uses (<c>GET /oauth/token/accessible-resources</c>, <c>GET /me</c>); the <c>/ex/confluence/{cloudId}</c> gateway
/// is rewritten to the site's own <c>/wiki</c> handlers, guarded by <see cref="AuthorizeGatewayCall"/>.
/// </summary>
internal static class AuthorizationServerEndpoints
{
    public static void Map(WebApplication app, AtlassianAuthorizationServer server)
    {
        app.MapGet("/authorize", http => Authorize(http, server));
        app.MapPost("/oauth/token", http => Token(http, server));
        app.MapGet("/oauth/token/accessible-resources", http => AccessibleResources(http, server));
        app.MapGet("/me", http => Me(http, server));
    }

    private const string GatewayItem = "atlassian-gateway";

    /// <summary>
    /// Serves <c>/ex/confluence/{cloudId}/wiki/...</c> with the site's <c>/wiki/...</c> handlers. Like the real
    /// gateway, the answers do not mention the prefix: <c>_links.next</c> stays relative to <c>/wiki</c>.
    /// </summary>
    public static void RewriteGatewayPath(HttpContext http, AtlassianAuthorizationServer server)
    {
        if (http.Request.Path.StartsWithSegments(server.GatewayPathBase, out var rest) && rest.StartsWithSegments("/wiki"))
        {
            http.Request.Path = rest;
            http.Items[GatewayItem] = true;
        }
    }

    /// <summary>True when the request came in through the gateway.</summary>
    public static bool IsGatewayRequest(HttpRequest request) => request.HttpContext.Items.ContainsKey(GatewayItem);

    /// <summary>A live Bearer token with the granular scope the v2 endpoint needs (else 401 "scope does not match").</summary>
    public static bool AuthorizeGatewayCall(HttpRequest request, AtlassianAuthorizationServer server)
    {
        var scopes = server.ValidateAccessToken(request.Headers.Authorization.ToString());
        return scopes is not null && scopes.Contains(AtlassianAuthorizationServer.RequiredScope(request.Path.Value ?? string.Empty));
    }

    private static Task Authorize(HttpContext http, AtlassianAuthorizationServer server)
    {
        var q = http.Request.Query;
        string clientId = q["client_id"].ToString(), redirectUri = q["redirect_uri"].ToString(), state = q["state"].ToString();
        if (clientId != server.Options.ClientId || q["response_type"] != "code" || q["audience"] != "api.atlassian.com"
            || !Uri.TryCreate(redirectUri, UriKind.Absolute, out _))
        {
            http.Response.StatusCode = 400;
            return http.Response.WriteAsync("Invalid authorization request: unknown client_id, or missing audience, response_type=code or redirect_uri.");
        }

        var query = new Dictionary<string, string?> { ["state"] = state };
        if (server.Options.DenyConsent)
        {
            query["error"] = "access_denied";
            query["error_description"] = "User did not authorize the request";
        }
        else
        {
            var requested = q["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            query["code"] = server.IssueCode(clientId, redirectUri, server.Options.GrantedScopes ?? requested);
        }

        http.Response.Redirect(QueryHelpers.AddQueryString(redirectUri, query));
        return Task.CompletedTask;
    }

    private static async Task Token(HttpContext http, AtlassianAuthorizationServer server)
    {
        Dictionary<string, string> body;
        try
        {
            body = http.Request.HasFormContentType
                ? (await http.Request.ReadFormAsync(http.RequestAborted)).ToDictionary(f => f.Key, f => f.Value.ToString())
                : await JsonSerializer.DeserializeAsync<Dictionary<string, string>>(http.Request.Body, cancellationToken: http.RequestAborted) ?? [];
        }
        catch (JsonException)
        {
            await Error(http, 400, "invalid_request", "The body is not JSON.");
            return;
        }

        string Field(string name) => body.TryGetValue(name, out var v) ? v : string.Empty;
        if (Field("client_id") != server.Options.ClientId || Field("client_secret") != server.Options.ClientSecret)
        {
            await Error(http, 401, "access_denied", "Unauthorized");
            return;
        }

        var grant = Field("grant_type") switch
        {
            "authorization_code" => server.ExchangeCode(Field("code"), Field("client_id"), Field("redirect_uri")),
            "refresh_token" => server.Refresh(Field("refresh_token")),
            _ => TokenGrant.Fail("unsupported_grant_type", "grant_type must be authorization_code or refresh_token"),
        };
        if (grant.Error is not null)
        {
            await Error(http, grant.Error == "unsupported_grant_type" ? 400 : 403, grant.Error, grant.ErrorDescription!);
            return;
        }

        var answer = new Dictionary<string, object?>
        {
            ["access_token"] = grant.AccessToken,
            ["expires_in"] = grant.ExpiresIn,
            ["token_type"] = "Bearer",
            ["scope"] = grant.Scope,
        };
        if (grant.RefreshToken is not null)
        {
            answer["refresh_token"] = grant.RefreshToken;
        }

        await http.Response.WriteAsJsonAsync(answer, http.RequestAborted);
    }

    private static async Task AccessibleResources(HttpContext http, AtlassianAuthorizationServer server)
    {
        if (server.ValidateAccessToken(http.Request.Headers.Authorization.ToString()) is not { } scopes)
        {
            await Error(http, 401, "unauthorized", "Unauthorized");
            return;
        }

        var confluenceScopes = scopes.Where(s => s.EndsWith(":confluence", StringComparison.Ordinal)).ToList();
        var sites = server.Options.OtherSites.Select(s => new { id = s.Id, name = s.Name, url = s.Url, scopes = confluenceScopes, avatarUrl = "https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/rocket.png" })
            .Append(new { id = server.Options.CloudId, name = server.SiteName, url = server.SiteUrl, scopes = confluenceScopes, avatarUrl = "https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/flag.png" });
        await http.Response.WriteAsJsonAsync(sites, http.RequestAborted);
    }

    private static async Task Me(HttpContext http, AtlassianAuthorizationServer server)
    {
        if (server.ValidateAccessToken(http.Request.Headers.Authorization.ToString()) is not { } scopes || !scopes.Contains("read:me"))
        {
            await Error(http, 401, "unauthorized", "Unauthorized; scope does not match");
            return;
        }

        var o = server.Options;
        await http.Response.WriteAsJsonAsync(new { account_id = o.AccountId, name = o.AccountName, email = o.AccountEmail, account_type = "atlassian", account_status = "active" }, http.RequestAborted);
    }

    private static Task Error(HttpContext http, int status, string error, string description)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new { error, error_description = description }, http.RequestAborted);
    }
}
