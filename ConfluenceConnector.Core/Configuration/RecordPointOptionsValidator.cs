using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Configuration;

/// <summary>Start-up validation of <c>RecordPoint:*</c>.</summary>
public sealed class RecordPointOptionsValidator : IValidateOptions<RecordPointOptions>
{
    public ValidateOptionsResult Validate(string? name, RecordPointOptions options)
    {
        var failures = new List<string>();

        if (options.ApiUrl is null)
        {
            failures.Add("RecordPoint:ApiUrl is required: the regional Connector API root, e.g. https://connector-aue.records365.com.au.");
        }
        else if (!options.ApiUrl.IsAbsoluteUri || (options.ApiUrl.Scheme != Uri.UriSchemeHttps && options.ApiUrl.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"RecordPoint:ApiUrl '{options.ApiUrl}' must be an absolute https URL, e.g. https://connector-aue.records365.com.au.");
        }
        else if (options.AuthMode == RecordPointAuthMode.Entra && options.ApiUrl.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"RecordPoint:ApiUrl '{options.ApiUrl}' must use https when RecordPoint:AuthMode is Entra (bearer tokens never travel over plain http).");
        }

        if (string.IsNullOrWhiteSpace(options.ConnectorId))
        {
            failures.Add("RecordPoint:ConnectorId is required: the id of the connector instance created in RecordPoint (Settings > Connectors).");
        }

        if (options.AuthMode == RecordPointAuthMode.Entra)
        {
            Require(failures, "RecordPoint:TenantId", options.TenantId, "the Entra tenant that issues RecordPoint tokens");
            Require(failures, "RecordPoint:ClientId", options.ClientId, "the Entra application (client) id of the connector");
            Require(failures, "RecordPoint:ClientSecret", options.ClientSecret, "the Entra client secret (a Key Vault reference in Azure)");
            Require(failures, "RecordPoint:Audience", options.Audience, "the Application ID URI of the Connector API; the token scope is {Audience}/.default");
        }

        failures.AddRange(options.Resilience.Validate("RecordPoint:Resilience"));

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Require(List<string> failures, string setting, string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{setting} is required when RecordPoint:AuthMode is Entra: {what}.");
        }
    }
}
