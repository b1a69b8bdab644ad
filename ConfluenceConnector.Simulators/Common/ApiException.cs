namespace ConfluenceConnector.Simulators.Common;

/// <summary>Thrown by handlers to answer an error; each simulator formats it in its own service's error shape.</summary>
internal sealed class ApiException(int statusCode, string code, string message, string? target = null) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
    public string Code { get; } = code;
    public string? Target { get; } = target;
}
