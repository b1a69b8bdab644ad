using ConfluenceConnector.Core.Confluence.OAuth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ConfluenceConnector.Functions.OAuth;

/// <summary>
/// OAuth 2.0 (3LO) consent for Confluence. An administrator opens <c>GET /api/oauth/authorize?code={function key}</c>;
/// Atlassian redirects to <c>GET /api/oauth/callback</c>, the callback URL to register in the Atlassian developer
/// console: <c>https://{function app host}/api/oauth/callback</c> (the deployment's OAUTH_CALLBACK_URL output).
/// The logic lives in <see cref="OAuthAuthorizationFlow"/>.
/// </summary>
public sealed class OAuthFunctions(OAuthAuthorizationFlow flow)
{
    /// <summary>Cookie binding the callback to the browser that started the authorisation.</summary>
    public const string BindingCookie = "__Host-confluence-oauth";

    /// <summary>Redirects to Atlassian's consent page for the connector's read-only scopes.</summary>
    [Function("OAuthAuthorize")]
    public async Task<IActionResult> Authorize(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "oauth/authorize")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var start = await flow.BeginAsync(cancellationToken);
        request.HttpContext.Response.Cookies.Append(BindingCookie, start.Binding, new CookieOptions
        {
            HttpOnly = true,
            Secure = true,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            MaxAge = OAuthAuthorizationFlow.StateLifetime,
        });
        return new RedirectResult(start.AuthorizeUrl.AbsoluteUri);
    }

    /// <summary>Anonymous (Atlassian cannot send a function key): the single-use state and the browser binding protect it.</summary>
    [Function("OAuthCallback")]
    public async Task<IActionResult> Callback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "oauth/callback")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var q = request.Query;
        var callback = new AuthorizationCallback(Value(q, "code"), Value(q, "state"), Value(q, "error"), Value(q, "error_description"));
        var outcome = await flow.CompleteAsync(callback, request.Cookies[BindingCookie], cancellationToken);
        request.HttpContext.Response.Cookies.Delete(BindingCookie, new CookieOptions { Secure = true, Path = "/" });
        return new ContentResult
        {
            StatusCode = (int)outcome.StatusCode,
            ContentType = "text/html; charset=utf-8",
            Content = AuthorizationPage.Render(outcome),
        };
    }

    private static string? Value(IQueryCollection query, string name) => query.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v.ToString() : null;
}

/// <summary>Daily: keeps the Confluence refresh token alive and warns before the 365-day consent ends.</summary>
public sealed class OAuthKeepAliveTimer(RefreshTokenKeepAlive keepAlive)
{
    [Function(nameof(OAuthKeepAliveTimer))]
    public Task Run([TimerTrigger("0 30 3 * * *")] TimerInfo timer, CancellationToken cancellationToken) => keepAlive.RunAsync(cancellationToken);
}
