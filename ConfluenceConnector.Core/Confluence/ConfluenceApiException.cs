using System.Net;

namespace ConfluenceConnector.Core.Confluence;

/// <summary>
/// A Confluence call that did not succeed. The message names the request (method and path, never a token or
/// an Authorization header) and what Confluence answered.
/// </summary>
public sealed class ConfluenceApiException(string message, HttpStatusCode? statusCode, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>The HTTP status, or null when no answer arrived or the body could not be read.</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;
}
