using ConfluenceConnector.Core.Http;

namespace ConfluenceConnector.Core.Configuration;

/// <summary>How the connector authenticates to RecordPoint's Connector API.</summary>
public enum RecordPointAuthMode
{
    /// <summary>Entra ID client credentials (production).</summary>
    Entra,

    /// <summary>No Authorization header: local simulators only.</summary>
    None,
}

/// <summary>Settings under <c>RecordPoint:</c>.</summary>
public sealed class RecordPointOptions
{
    public const string SectionName = "RecordPoint";

    /// <summary>Regional root such as <c>https://connector-aue.records365.com.au</c> (a value ending in <c>/connector</c> is accepted).</summary>
    public Uri? ApiUrl { get; set; }

    /// <summary>The connector instance id created in RecordPoint.</summary>
    public string? ConnectorId { get; set; }

    /// <summary>Entra tenant id (GUID or domain) that issues RecordPoint tokens.</summary>
    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    /// <summary>Entra client secret. A secret: never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Application ID URI of the Connector API; the token scope is <c>{Audience}/.default</c>.</summary>
    public string? Audience { get; set; }

    public RecordPointAuthMode AuthMode { get; set; } = RecordPointAuthMode.Entra;

    /// <summary>
    /// Retries of Connector API calls (408, 429, 5xx, timeouts, no answer). <c>MaxRetryAfter</c> caps the wait a 429's
    /// <c>wait-until-time</c> imposes on every submission; keep it below <c>AttemptTimeout</c>, since the wait is part
    /// of the attempt.
    /// </summary>
    public HttpResilienceOptions Resilience { get; set; } = new();

    /// <summary>The API root every call is relative to: <c>{ApiUrl}/connector/</c>.</summary>
    public Uri ConnectorApiRoot
    {
        get
        {
            var root = ApiUrl!.GetLeftPart(UriPartial.Path).TrimEnd('/');
            if (!root.EndsWith("/connector", StringComparison.OrdinalIgnoreCase))
            {
                root += "/connector";
            }

            return new Uri(root + "/");
        }
    }
}
