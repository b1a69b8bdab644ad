using System.Net;
using System.Security.Cryptography;
using System.Text;
using ConfluenceConnector.Core.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Confluence.OAuth;

/// <summary>The authorise URL to send the administrator to, and the secret binding the callback must present.</summary>
public sealed record AuthorizationStart(Uri AuthorizeUrl, string Binding)
{
    public override string ToString() => $"AuthorizationStart {{ AuthorizeUrl = {AuthorizeUrl.GetLeftPart(UriPartial.Path)} }}";
}

/// <summary>The query of Atlassian's redirect to the callback.</summary>
public sealed record AuthorizationCallback(string? Code, string? State, string? Error, string? ErrorDescription)
{
    public override string ToString() => $"AuthorizationCallback {{ Error = {Error} }}";
}

/// <summary>What the callback tells the administrator: an HTTP status, a title and one message.</summary>
public sealed record AuthorizationOutcome(bool Succeeded, HttpStatusCode StatusCode, string Title, string Message, OAuthTokenRecord? Record = null);

/// <summary>
/// The OAuth 2.0 (3LO) consent flow shared by the Functions endpoints and the local runner. <see cref="BeginAsync"/>
/// creates an unguessable single-use <c>state</c> (stored by its hash with the PKCE verifier, a browser binding and
/// a 10-minute expiry); <see cref="CompleteAsync"/> checks it, exchanges the code, picks the configured site, checks
/// the granted scopes (every required one, nothing beyond read-only) and only then stores the refresh token.
/// </summary>
public sealed class OAuthAuthorizationFlow(
    AtlassianOAuthClient oauth,
    IOAuthStateStore states,
    ITokenStore tokens,
    IOptions<ConfluenceOptions> options,
    TimeProvider time,
    ILogger<OAuthAuthorizationFlow> logger)
{
    /// <summary>How long an authorise request waits for its callback.</summary>
    public static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(10);

    public async Task<AuthorizationStart> BeginAsync(CancellationToken cancellationToken)
    {
        var state = RandomToken();
        var verifier = RandomToken();
        var binding = RandomToken();
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        await states.SaveAsync(Hash(state), new PendingAuthorization(verifier, Hash(binding), time.GetUtcNow() + StateLifetime), cancellationToken).ConfigureAwait(false);
        return new AuthorizationStart(oauth.BuildAuthorizeUrl(state, challenge), binding);
    }

    public async Task<AuthorizationOutcome> CompleteAsync(AuthorizationCallback callback, string? binding, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(callback.State))
        {
            return Refused(HttpStatusCode.BadRequest, "The callback has no state parameter. Start again from the authorise endpoint.");
        }

        var pending = await states.TakeAsync(Hash(callback.State), cancellationToken).ConfigureAwait(false);
        if (pending is null)
        {
            return Refused(HttpStatusCode.BadRequest, "The state is unknown or was already used. Start again from the authorise endpoint.");
        }

        if (time.GetUtcNow() >= pending.ExpiresAt)
        {
            return Refused(HttpStatusCode.BadRequest, $"The authorisation request expired (it is valid for {StateLifetime.TotalMinutes:0} minutes). Start again from the authorise endpoint.");
        }

        if (binding is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(binding)), Encoding.ASCII.GetBytes(pending.BindingHash)))
        {
            return Refused(HttpStatusCode.BadRequest, "This callback does not belong to an authorisation started from this browser. Start again from the authorise endpoint.");
        }

        if (callback.Error is { } error)
        {
            return error == "access_denied"
                ? Refused(HttpStatusCode.Forbidden, "Consent was declined in Atlassian, so the connector has no access to Confluence. Start again and choose Accept to enable it.")
                : Refused(HttpStatusCode.BadRequest, $"Atlassian answered '{error}'{(string.IsNullOrWhiteSpace(callback.ErrorDescription) ? string.Empty : $": {callback.ErrorDescription}")}. Check the app's client id, callback URL and permissions in the Atlassian developer console, then start again.");
        }

        if (string.IsNullOrEmpty(callback.Code))
        {
            return Refused(HttpStatusCode.BadRequest, "The callback has no authorisation code. Start again from the authorise endpoint.");
        }

        try
        {
            return await ExchangeAndStoreAsync(callback.Code, pending.CodeVerifier, cancellationToken).ConfigureAwait(false);
        }
        catch (AtlassianOAuthException e)
        {
            logger.LogWarning("Confluence OAuth callback failed: {Reason}", e.Message);
            return Refused(HttpStatusCode.BadGateway, $"{e.Message} Check Confluence:ClientId, Confluence:ClientSecret and Confluence:CallbackUrl against the Atlassian developer console, then start again.");
        }
    }

    private async Task<AuthorizationOutcome> ExchangeAndStoreAsync(string code, string verifier, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var granted = await oauth.ExchangeCodeAsync(code, verifier, cancellationToken).ConfigureAwait(false);
        var scopes = ConfluenceScopes.Parse(granted.Scope);
        var check = ConfluenceScopes.Check(scopes);
        if (!check.IsAcceptable)
        {
            var problems = new List<string>();
            if (check.Missing.Count > 0)
            {
                problems.Add($"missing: {string.Join(", ", check.Missing)}");
            }

            if (check.Excessive.Count > 0)
            {
                problems.Add($"not read-only (do not grant write, delete or admin scopes): {string.Join(", ", check.Excessive)}");
            }

            logger.LogWarning("Confluence OAuth consent refused: granted scopes do not match ({Problems})", string.Join("; ", problems));
            return Refused(HttpStatusCode.Forbidden, $"The tokens were not stored: the granted scopes are wrong ({string.Join("; ", problems)}). In the Atlassian developer console give the app exactly these scopes: {string.Join(' ', ConfluenceScopes.Required)}; then start again.");
        }

        if (string.IsNullOrEmpty(granted.RefreshToken))
        {
            return Refused(HttpStatusCode.Forbidden, "Atlassian issued no refresh token (offline_access was not granted), so the connector could not run unattended. Start again.");
        }

        var accessToken = granted.AccessToken!;
        var expectedHost = $"{o.Domain}.atlassian.net";
        var sites = await oauth.GetAccessibleResourcesAsync(accessToken, cancellationToken).ConfigureAwait(false);
        var site = sites.FirstOrDefault(s => Uri.TryCreate(s.Url, UriKind.Absolute, out var url) && string.Equals(url.Host, expectedHost, StringComparison.OrdinalIgnoreCase));
        if (site is null)
        {
            var seen = sites.Count == 0 ? "none" : string.Join(", ", sites.Select(s => s.Url));
            return Refused(HttpStatusCode.Forbidden, $"The consent does not cover https://{expectedHost} (Confluence:Domain '{o.Domain}'); the sites it covers: {seen}. Consent for the configured site, or correct Confluence:Domain.");
        }

        var user = await oauth.GetMeAsync(accessToken, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var record = new OAuthTokenRecord(granted.RefreshToken, site.Id, site.Url, site.Name, user.AccountId, user.Name, scopes, now, now);
        await tokens.SaveAsync(record, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Confluence OAuth consent stored for site {SiteUrl} (cloud id {CloudId}) by account {AccountId}", site.Url, site.Id, user.AccountId);
        return new AuthorizationOutcome(
            true,
            HttpStatusCode.OK,
            "Confluence is authorised",
            $"The connector may now read {site.Url} as {user.Name ?? user.AccountId}, with read-only scopes. You may now enable the connector.",
            record);
    }

    private static AuthorizationOutcome Refused(HttpStatusCode status, string message) => new(false, status, "Confluence was not authorised", message);

    private static string RandomToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Hash(string value) => Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>The HTML page the callback answers with (both in Azure and in the local runner).</summary>
public static class AuthorizationPage
{
    public static string Render(AuthorizationOutcome outcome) =>
        $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(outcome.Title)}</title></head>
        <body><h1>{WebUtility.HtmlEncode(outcome.Title)}</h1><p>{WebUtility.HtmlEncode(outcome.Message)}</p></body></html>
        """;
}
