using System.Net;

namespace ConfluenceConnector.Core.Confluence.OAuth;

/// <summary>
/// Atlassian's authorisation server or gateway refused an OAuth call. The message names the call and Atlassian's
/// error code, never a code, token or secret.
/// </summary>
public sealed class AtlassianOAuthException(string message, string? error, HttpStatusCode? statusCode, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>The OAuth error code (<c>invalid_grant</c>, <c>unauthorized_client</c>, ...), when Atlassian gave one.</summary>
    public string? Error { get; } = error;

    public HttpStatusCode? StatusCode { get; } = statusCode;

    /// <summary>True when the grant (code or refresh token) is dead: only a new consent helps.</summary>
    public bool IsInvalidGrant => Error is "invalid_grant" || StatusCode is HttpStatusCode.Forbidden && Error is "unauthorized_client";
}
