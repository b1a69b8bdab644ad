using System.Collections;
using System.Reflection;
using ConfluenceConnector.Core.Configuration;

namespace ConfluenceConnector.Tests.Infra;

/// <summary>
/// Every setting the code binds at start-up must be an app setting of the deployed Function App,
/// so that a setting added or renamed in code fails this build instead of a production start.
/// The settings are discovered by reflection over each options class with a <c>SectionName</c>
/// constant in ConfluenceConnector.Core.
/// </summary>
public sealed class AppSettingsConsistencyTests
{
    /// <summary>
    /// Settings the code reads that the Azure deployment deliberately does not set (keys as in app
    /// settings: <c>__</c> for <c>:</c>). Each entry needs its reason.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> NotDeployed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        // Local-simulator override of the Confluence site root; in Azure the root derives from Confluence:Domain.
        ["Confluence__BaseUrl"] = "local simulator override",

        // Basic auth (Atlassian e-mail + API token) is for development only; Azure uses OAuth 2.0.
        ["Confluence__Email"] = "Basic auth is development-only",
        ["Confluence__ApiToken"] = "Basic auth is development-only",

        // The ledger's embedded file is for local runs; in Azure the ledger table lives in the app's own storage,
        // reached through AzureWebJobsStorage__tableServiceUri and the app's managed identity.
        ["Ledger__Path"] = "local runs only",
        ["Ledger__TableServiceUri"] = "Azure uses AzureWebJobsStorage__tableServiceUri",
        ["Ledger__TableConnectionString"] = "Azure uses AzureWebJobsStorage__tableServiceUri",

        // The embedded (SQLite) site index is for local runs; in Azure the site index is tables in the app's storage.
        ["SiteIndex__Path"] = "local runs only",
    };

    /// <summary>Settings the deployment must carry whether or not an options class declares them yet.</summary>
    public static TheoryData<string> RequiredSettings => new()
    {
        "Confluence__CallbackUrl",
        "Confluence__AuthorizationServerUrl",
        "Confluence__ApiGatewayUrl",
        "KeyVault__Uri",
        "Sync__Schedule",
    };

    private static AppSettingsInTemplate AppSettings => InfraTemplateTests.AppSettings;

    [Fact]
    public void Options_classes_are_discovered()
    {
        var sections = OptionsSections().Select(s => s.Section).ToList();
        Assert.Contains(ConfluenceOptions.SectionName, sections);
        Assert.Contains(RecordPointOptions.SectionName, sections);
        Assert.Contains(SyncOptions.SectionName, sections);
    }

    [Fact]
    public void Every_setting_the_code_binds_is_an_app_setting()
    {
        var missing = new List<string>();
        foreach (var setting in SettingsFromCode())
        {
            if (NotDeployed.ContainsKey(setting.Key))
            {
                continue;
            }

            var present = setting.IsList ? AppSettings.HasList(setting.Key) : AppSettings.HasSetting(setting.Key);
            if (!present)
            {
                missing.Add(setting.IsList ? $"{setting.Key}__0.. (indexedSettings)" : setting.Key);
            }
        }

        Assert.True(
            missing.Count == 0,
            "settings bound by the code but missing from the app settings in infra/main.bicep: " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(RequiredSettings))]
    public void Deployment_sets(string key) => Assert.True(AppSettings.HasSetting(key), $"missing app setting {key}");

    [Fact]
    public void Excluded_settings_are_not_deployed_and_still_exist_in_code()
    {
        var fromCode = SettingsFromCode().Select(s => s.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var key in NotDeployed.Keys)
        {
            Assert.False(AppSettings.HasSetting(key), $"{key} must not be set in Azure ({NotDeployed[key]})");
            Assert.True(fromCode.Contains(key), $"{key} is no longer read by the code: remove it from {nameof(NotDeployed)}");
        }
    }

    [Fact]
    public void Production_auth_modes_are_deployed()
    {
        Assert.Equal("OAuth", (string?)AppSettings.Settings["Confluence__AuthMode"]);
        Assert.Equal(nameof(RecordPointAuthMode.Entra), (string?)AppSettings.Settings["RecordPoint__AuthMode"]);
    }

    [Fact]
    public void Space_filters_are_indexed_lists()
    {
        Assert.True(AppSettings.HasList("Confluence__SpaceFilter__Include"));
        Assert.True(AppSettings.HasList("Confluence__SpaceFilter__Exclude"));
    }

    /// <summary>Options classes: public types of ConfluenceConnector.Core with a <c>const string SectionName</c>.</summary>
    private static IEnumerable<(string Section, Type Type)> OptionsSections() =>
        typeof(ConfluenceOptions).Assembly.GetExportedTypes()
            .Select(type => (Type: type, Field: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
            .Where(t => t.Field is { IsLiteral: true } && t.Field.FieldType == typeof(string))
            .Select(t => ((string)t.Field!.GetRawConstantValue()!, t.Type));

    private static IEnumerable<(string Key, bool IsList)> SettingsFromCode() =>
        OptionsSections().SelectMany(s => Settings(s.Section, s.Type, depth: 0));

    /// <summary>
    /// The configuration keys a class binds: public read/write properties; nested option objects
    /// recurse; lists are indexed (<c>Key__0</c>, <c>Key__1</c>, ...).
    /// </summary>
    private static IEnumerable<(string Key, bool IsList)> Settings(string prefix, Type type, int depth)
    {
        Assert.True(depth < 8, $"options nesting too deep at {prefix}");
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetSetMethod() is null || property.GetGetMethod() is null || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var key = $"{prefix}__{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsScalar(propertyType))
            {
                yield return (key, false);
            }
            else if (typeof(IEnumerable).IsAssignableFrom(propertyType))
            {
                yield return (key, true);
            }
            else
            {
                foreach (var nested in Settings(key, propertyType, depth + 1))
                {
                    yield return nested;
                }
            }
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Uri)
        || type == typeof(Guid) || type == typeof(TimeSpan) || type == typeof(DateTime) || type == typeof(DateTimeOffset);
}
