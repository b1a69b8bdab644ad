using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Configuration;

/// <summary>Start-up validation of <c>Confluence:*</c>: every failure names the setting and the accepted form.</summary>
public sealed class ConfluenceOptionsValidator : IValidateOptions<ConfluenceOptions>
{
    public ValidateOptionsResult Validate(string? name, ConfluenceOptions options)
    {
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.Domain))
        {
            failures.Add("Confluence:Domain is required: the subdomain of your Confluence Cloud site, e.g. 'yourcompany' for https://yourcompany.atlassian.net.");
        }
        else if (!SiteDomain.IsBareSubdomain(options.Domain))
        {
            failures.Add($"Confluence:Domain '{options.Domain}' is not a bare subdomain. Enter only the subdomain, e.g. '{SiteDomain.SuggestSubdomain(options.Domain)}' (no 'https://', no '.atlassian.net', no '/wiki').");
        }

        if (options.BaseUrl is { } baseUrl && (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add($"Confluence:BaseUrl '{baseUrl}' must be an absolute http(s) URL, e.g. http://127.0.0.1:5000 for a local simulator.");
        }

        if (options.AuthMode == ConfluenceAuthMode.Basic)
        {
            if (string.IsNullOrWhiteSpace(options.Email))
            {
                failures.Add("Confluence:Email is required when Confluence:AuthMode is Basic: the Atlassian account e-mail that owns the API token.");
            }

            if (string.IsNullOrWhiteSpace(options.ApiToken))
            {
                failures.Add("Confluence:ApiToken is required when Confluence:AuthMode is Basic: create one at https://id.atlassian.com/manage/api-tokens.");
            }
        }

        if (options.AuthMode == ConfluenceAuthMode.OAuth)
        {
            failures.AddRange(ValidateOAuth(options));
        }

        failures.AddRange(options.Resilience.Validate("Confluence:Resilience"));
        failures.AddRange(ValidateKeys("Confluence:SpaceFilter:Include", options.SpaceFilter.Include));
        failures.AddRange(ValidateKeys("Confluence:SpaceFilter:Exclude", options.SpaceFilter.Exclude));

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> ValidateOAuth(ConfluenceOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            yield return "Confluence:ClientId is required when Confluence:AuthMode is OAuth: the client id of your Atlassian app (developer console > your app > Settings).";
        }

        if (string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            yield return "Confluence:ClientSecret is required when Confluence:AuthMode is OAuth: the secret of your Atlassian app (a Key Vault reference in Azure).";
        }

        if (options.CallbackUrl is not { IsAbsoluteUri: true } callback)
        {
            yield return "Confluence:CallbackUrl is required when Confluence:AuthMode is OAuth: the absolute callback URL registered in the Atlassian developer console, e.g. https://yourapp.azurewebsites.net/api/oauth/callback (or http://127.0.0.1:8765/callback for the local runner).";
        }
        else if (callback.Scheme != Uri.UriSchemeHttps && !(callback.Scheme == Uri.UriSchemeHttp && callback.IsLoopback))
        {
            yield return $"Confluence:CallbackUrl '{callback}' must be https (http is accepted only for a loopback address such as http://127.0.0.1:8765/callback).";
        }

        foreach (var (setting, url) in new[] { ("Confluence:AuthorizationServerUrl", options.AuthorizationServerUrl), ("Confluence:ApiGatewayUrl", options.ApiGatewayUrl) })
        {
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
            {
                yield return $"{setting} '{url}' must be an absolute https URL (http only for a loopback test server); leave it unset for Atlassian's.";
            }
        }
    }

    private static IEnumerable<string> ValidateKeys(string setting, IReadOnlyList<string> keys)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            if (string.IsNullOrWhiteSpace(key) || key.Any(c => char.IsWhiteSpace(c) || c == ','))
            {
                yield return $"{setting}:{i} '{key}' is not a Space key: give one key per entry (e.g. 'ENG' or '~jsmith'), without spaces or commas.";
            }
        }
    }
}
