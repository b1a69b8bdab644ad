using ConfluenceConnector.Core;
using ConfluenceConnector.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Tests.Configuration;

public sealed class SettingsValidationTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Confluence:Domain"] = "acme",
        ["Confluence:AuthMode"] = "Basic",
        ["Confluence:Email"] = "sync@acme.com",
        ["Confluence:ApiToken"] = "token-value",
        ["RecordPoint:ApiUrl"] = "https://connector-aue.records365.com.au",
        ["RecordPoint:ConnectorId"] = "c-1",
        ["RecordPoint:TenantId"] = "tenant",
        ["RecordPoint:ClientId"] = "client",
        ["RecordPoint:ClientSecret"] = "secret-value",
        ["RecordPoint:Audience"] = "api://records365",
    };

    [Fact]
    public void Valid_settings_pass()
    {
        Assert.Empty(Validate(Valid));
    }

    [Theory]
    [InlineData("https://acme.atlassian.net", "acme")]
    [InlineData("acme.atlassian.net", "acme")]
    [InlineData("acme.atlassian.net/wiki", "acme")]
    public void A_domain_with_scheme_or_suffix_is_rejected_with_the_accepted_form(string domain, string suggested)
    {
        var failures = Validate(With("Confluence:Domain", domain));

        var failure = Assert.Single(failures);
        Assert.Contains("Confluence:Domain", failure);
        Assert.Contains($"'{suggested}'", failure);
    }

    [Fact]
    public void A_missing_domain_names_the_setting()
    {
        var failure = Assert.Single(Validate(With("Confluence:Domain", null)));
        Assert.StartsWith("Confluence:Domain is required", failure);
    }

    [Fact]
    public void Basic_auth_requires_email_and_token_and_never_echoes_the_token()
    {
        var failures = Validate(With("Confluence:Email", null));
        Assert.Contains(failures, f => f.StartsWith("Confluence:Email is required", StringComparison.Ordinal));

        failures = Validate(With("Confluence:ApiToken", null));
        Assert.Contains(failures, f => f.StartsWith("Confluence:ApiToken is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Entra_requires_tenant_client_secret_and_audience_but_None_does_not()
    {
        var entra = Validate(With("RecordPoint:TenantId", null, "RecordPoint:ClientSecret", null, "RecordPoint:Audience", null));
        Assert.Equal(3, entra.Count);
        Assert.All(entra, f => Assert.Contains("RecordPoint:AuthMode is Entra", f));
        Assert.DoesNotContain(entra, f => f.Contains("secret-value", StringComparison.Ordinal));

        var none = Validate(With("RecordPoint:AuthMode", "None", "RecordPoint:TenantId", null, "RecordPoint:ClientSecret", null, "RecordPoint:Audience", null));
        Assert.Empty(none);
    }

    [Fact]
    public void Entra_over_plain_http_is_rejected()
    {
        var failure = Assert.Single(Validate(With("RecordPoint:ApiUrl", "http://connector-aue.records365.com.au")));
        Assert.Contains("must use https", failure);
    }

    [Fact]
    public void A_missing_connector_id_is_named()
    {
        var failure = Assert.Single(Validate(With("RecordPoint:ConnectorId", null)));
        Assert.StartsWith("RecordPoint:ConnectorId is required", failure);
    }

    [Theory]
    [InlineData("Sync:PageSize", "251", "Sync:PageSize")]
    [InlineData("Sync:PageSize", "0", "Sync:PageSize")]
    [InlineData("Sync:Schedule", "0 2 * * *", "Sync:Schedule")]
    [InlineData("Sync:SubmitConcurrency", "0", "Sync:SubmitConcurrency")]
    [InlineData("Sync:MaxParallelSpaces", "65", "Sync:MaxParallelSpaces")]
    public void Sync_settings_out_of_range_are_named(string key, string value, string named)
    {
        var failure = Assert.Single(Validate(With(key, value)));
        Assert.StartsWith(named, failure);
    }

    [Fact]
    public void An_unknown_listing_strategy_is_named_with_the_allowed_values()
    {
        var failure = Assert.Single(Validate(With("Sync:ListingStrategy", "Bulk")));
        Assert.StartsWith("Sync:ListingStrategy 'Bulk'", failure);
        Assert.Contains("Auto, SiteWide, PerContent", failure);
        Assert.Empty(Validate(With("Sync:ListingStrategy", "sitewide")));
    }

    [Fact]
    public void A_space_key_with_a_comma_is_rejected()
    {
        var failure = Assert.Single(Validate(With("Confluence:SpaceFilter:Include:0", "ENG,OPS")));
        Assert.StartsWith("Confluence:SpaceFilter:Include:0", failure);
    }

    [Theory]
    [InlineData("https://connector-aue.records365.com.au", "https://connector-aue.records365.com.au/connector/")]
    [InlineData("https://connector-aue.records365.com.au/", "https://connector-aue.records365.com.au/connector/")]
    [InlineData("https://connector-aue.records365.com.au/connector", "https://connector-aue.records365.com.au/connector/")]
    [InlineData("https://connector-aue.records365.com.au/connector/", "https://connector-aue.records365.com.au/connector/")]
    public void The_connector_api_root_accepts_a_value_already_ending_in_connector(string apiUrl, string expected)
    {
        Assert.Equal(expected, new RecordPointOptions { ApiUrl = new Uri(apiUrl) }.ConnectorApiRoot.ToString());
    }

    [Fact]
    public void Start_up_fails_with_every_message_when_settings_are_invalid()
    {
        var services = new ServiceCollection();
        services.AddConfluenceConnector(new ConfigurationBuilder().AddInMemoryCollection(With("Confluence:Domain", "https://acme.atlassian.net", "RecordPoint:ConnectorId", null)).Build());
        using var provider = services.BuildServiceProvider();
        var startup = provider.GetRequiredService<IStartupValidator>();

        var failures = SettingsErrors.From(Assert.ThrowsAny<Exception>(() => startup.Validate()));

        Assert.NotNull(failures);
        Assert.Contains(failures, f => f.StartsWith("Confluence:Domain 'https://acme.atlassian.net' is not a bare subdomain", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("RecordPoint:ConnectorId is required", StringComparison.Ordinal));
    }

    private static Dictionary<string, string?> With(params string?[] pairs)
    {
        var settings = new Dictionary<string, string?>(Valid);
        for (var i = 0; i < pairs.Length; i += 2)
        {
            settings[pairs[i]!] = pairs[i + 1];
        }

        return settings;
    }

    private static List<string> Validate(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddConfluenceConnector(configuration);
        using var provider = services.BuildServiceProvider();
        var failures = new List<string>();
        Collect(() => provider.GetRequiredService<IOptions<ConfluenceOptions>>().Value, failures);
        Collect(() => provider.GetRequiredService<IOptions<RecordPointOptions>>().Value, failures);
        Collect(() => provider.GetRequiredService<IOptions<SyncOptions>>().Value, failures);
        return failures;
    }

    private static void Collect(Func<object> read, List<string> failures)
    {
        try
        {
            read();
        }
        catch (OptionsValidationException e)
        {
            failures.AddRange(e.Failures);
        }
    }
}
