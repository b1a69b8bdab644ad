using Microsoft.Extensions.Configuration;

namespace ConfluenceConnector.Cli.Demo;

/// <summary>
/// Which side of the connector the given settings leave unconfigured, and the settings that point the connector at a
/// simulator standing in for it: used by <c>sync</c> (<see cref="DemoEnvironment"/>) and <c>bench</c>.
/// </summary>
public static class SimulatorSettings
{
    /// <summary>Whether <paramref name="configuration"/> names a Confluence site (<c>Confluence:Domain</c> or <c>Confluence:BaseUrl</c>).</summary>
    public static bool ConfluenceConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration["Confluence:Domain"]) || !string.IsNullOrWhiteSpace(configuration["Confluence:BaseUrl"]);
    }

    /// <summary>Whether <paramref name="configuration"/> names a RecordPoint Connector API (<c>RecordPoint:ApiUrl</c>).</summary>
    public static bool RecordPointConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration["RecordPoint:ApiUrl"]);
    }

    /// <summary>Points the connector at a Confluence simulator serving <paramref name="siteName"/> at <paramref name="baseUrl"/>, signed in with an API token.</summary>
    public static void Confluence(IDictionary<string, string?> settings, string siteName, Uri baseUrl, string email, string apiToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["Confluence:Domain"] = siteName;
        settings["Confluence:BaseUrl"] = baseUrl.ToString();
        settings["Confluence:AuthMode"] = "Basic";
        settings["Confluence:Email"] = email;
        settings["Confluence:ApiToken"] = apiToken;
    }

    /// <summary>Points the connector at a RecordPoint simulator at <paramref name="apiUrl"/> (no sign-in), keeping a given <c>RecordPoint:ConnectorId</c>.</summary>
    public static void RecordPoint(IDictionary<string, string?> settings, Uri apiUrl, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(configuration);
        settings["RecordPoint:ApiUrl"] = apiUrl.ToString();
        settings["RecordPoint:AuthMode"] = "None";
        settings["RecordPoint:ConnectorId"] = configuration["RecordPoint:ConnectorId"] ?? "demo-connector";
    }
}
