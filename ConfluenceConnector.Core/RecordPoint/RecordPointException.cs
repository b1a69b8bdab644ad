using System.Net;

namespace ConfluenceConnector.Core.RecordPoint;

/// <summary>What a RecordPoint answer means for the connector (see notes/recordpoint-connector-api.md).</summary>
public enum RecordPointFailureKind
{
    /// <summary>400: the submission is invalid; record the item and the reason, do not retry.</summary>
    Rejected,

    /// <summary>400 ConnectorNotEnabled: the connector is Disabled in RecordPoint; stop and keep the place.</summary>
    ConnectorNotEnabled,

    /// <summary>400 ProtectionNotEnabled: the platform accepts no binaries.</summary>
    ProtectionNotEnabled,

    /// <summary>403: the connector is not known to RecordPoint or the credentials are not allowed.</summary>
    Forbidden,

    /// <summary>412: a dependency (the item of a binary) is not processed yet; retry later.</summary>
    Deferred,

    /// <summary>429, 408, 5xx or no answer: transient; retry with backoff.</summary>
    Transient,
}

/// <summary>A RecordPoint call that was not accepted. The message carries RecordPoint's own message, never a token.</summary>
public sealed class RecordPointException(string message, RecordPointFailureKind kind, HttpStatusCode? statusCode, Exception? innerException = null)
    : Exception(message, innerException)
{
    public RecordPointFailureKind Kind { get; } = kind;

    public HttpStatusCode? StatusCode { get; } = statusCode;
}
