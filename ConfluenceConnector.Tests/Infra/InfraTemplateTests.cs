using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ConfluenceConnector.Tests.Infra;

/// <summary>
/// Reads the ARM JSON compiled from infra/main.bicep and checks the security posture the
/// deployment promises: resources, least-privilege role assignments and their scopes, HTTPS and
/// TLS, no shared keys, and secrets only as Key Vault references.
/// </summary>
public sealed partial class InfraTemplateTests
{
    private static CompiledInfra Infra => CompiledInfra.Instance;

    [Fact]
    public void Build_compiles_and_lints_every_file_without_warnings()
    {
        Assert.DoesNotMatch(new Regex(@"\b(Warning|Error) [A-Za-z0-9-]+:"), Infra.BuildOutput);
        foreach (var module in Directory.GetFiles(Path.Combine(Infra.RepoRoot, "infra", "modules"), "*.bicep"))
        {
            var compiled = Path.Combine(Infra.OutputDir, "modules", Path.GetFileNameWithoutExtension(module) + ".json");
            Assert.True(File.Exists(compiled), $"{module} was not compiled to {compiled}");
        }
    }

    [Theory]
    [InlineData("Microsoft.Resources/resourceGroups")]
    [InlineData("Microsoft.ManagedIdentity/userAssignedIdentities")]
    [InlineData("Microsoft.Storage/storageAccounts")]
    [InlineData("Microsoft.Storage/storageAccounts/blobServices/containers")]
    [InlineData("Microsoft.KeyVault/vaults")]
    [InlineData("Microsoft.OperationalInsights/workspaces")]
    [InlineData("Microsoft.Insights/components")]
    [InlineData("Microsoft.Web/serverfarms")]
    [InlineData("Microsoft.Web/sites")]
    [InlineData("Microsoft.Web/sites/config")]
    [InlineData("Microsoft.DurableTask/schedulers")]
    [InlineData("Microsoft.DurableTask/schedulers/taskHubs")]
    public void Deploys_exactly_one(string type) => Infra.Single(type);

    [Fact]
    public void Function_app_runs_on_flex_consumption_as_dotnet_isolated_10()
    {
        var plan = Infra.Single("Microsoft.Web/serverfarms").Json;
        Assert.Equal("FC1", (string?)plan["sku"]?["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]?["tier"]);
        Assert.True((bool?)plan["properties"]?["reserved"]);

        var site = Infra.Single("Microsoft.Web/sites").Json;
        Assert.Equal("functionapp,linux", (string?)site["kind"]);
        var config = site["properties"]!["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]?["name"]);
        Assert.Equal("10.0", (string?)config["runtime"]?["version"]);
        Assert.NotNull(config["scaleAndConcurrency"]?["maximumInstanceCount"]);
        Assert.NotNull(config["scaleAndConcurrency"]?["instanceMemoryMB"]);

        // The deployment package is read with the user-assigned identity, not a storage key.
        var storage = config["deployment"]!["storage"]!;
        Assert.Equal("blobContainer", (string?)storage["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)storage["authentication"]?["type"]);
        Assert.NotNull(storage["authentication"]?["userAssignedIdentityResourceId"]);
    }

    [Fact]
    public void Function_app_is_https_only_with_tls_1_2_and_no_ftp_or_basic_auth_publishing()
    {
        var site = Infra.Single("Microsoft.Web/sites").Json;
        var properties = site["properties"]!;
        Assert.True((bool?)properties["httpsOnly"]);
        Assert.Equal("1.2", (string?)properties["siteConfig"]?["minTlsVersion"]);
        Assert.Equal("Disabled", (string?)properties["siteConfig"]?["ftpsState"]);

        var policies = Infra.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        Assert.Equal(new[] { "ftp", "scm" }, policies.Select(p => PolicyName(p.Json)).Order());
        Assert.All(policies, p => Assert.False((bool?)p.Properties?["allow"]));
    }

    [Fact]
    public void Function_app_runs_as_the_user_assigned_identity_which_also_resolves_key_vault_references()
    {
        var site = Infra.Single("Microsoft.Web/sites").Json;
        Assert.Equal("UserAssigned", (string?)site["identity"]?["type"]);
        var identities = site["identity"]!["userAssignedIdentities"]!.AsObject();
        const string identityId = "parameters('identityId')";
        Assert.Contains(identityId, Assert.Single(identities).Key);
        Assert.Contains(identityId, (string?)site["properties"]!["keyVaultReferenceIdentity"]);
        Assert.Contains(identityId, (string?)site["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!["userAssignedIdentityResourceId"]);
    }

    [Fact]
    public void Storage_disables_shared_keys_public_blobs_and_old_tls()
    {
        var properties = Infra.Single("Microsoft.Storage/storageAccounts").Properties!;
        Assert.False((bool?)properties["allowSharedKeyAccess"]);
        Assert.False((bool?)properties["allowBlobPublicAccess"]);
        Assert.True((bool?)properties["supportsHttpsTrafficOnly"]);
        Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);
    }

    [Fact]
    public void Key_vault_uses_rbac_authorisation_and_soft_delete()
    {
        var properties = Infra.Single("Microsoft.KeyVault/vaults").Properties!;
        Assert.True((bool?)properties["enableRbacAuthorization"]);
        Assert.True((bool?)properties["enableSoftDelete"]);
        Assert.Null(properties["accessPolicies"]);
    }

    [Fact]
    public void Monitoring_disables_local_authentication()
    {
        Assert.True((bool?)Infra.Single("Microsoft.Insights/components").Properties?["DisableLocalAuth"]);
        Assert.NotNull(Infra.Single("Microsoft.Insights/components").Properties?["WorkspaceResourceId"]);
        Assert.True((bool?)Infra.Single("Microsoft.OperationalInsights/workspaces").Properties?["features"]?["disableLocalAuth"]);
    }

    [Fact]
    public void Durable_task_scheduler_is_deployed_only_behind_its_parameter()
    {
        var module = Infra.DeploymentDeclaring("Microsoft.DurableTask/schedulers");
        Assert.Equal("[parameters('useDurableTaskScheduler')]", (string?)module["condition"]);
        Assert.Equal("bool", (string?)Infra.Main["parameters"]?["useDurableTaskScheduler"]?["type"]);
        Assert.False((bool?)Infra.Main["parameters"]?["useDurableTaskScheduler"]?["defaultValue"]);
    }

    /// <summary>Built-in role ids (identical in every tenant) and the only scope each may have.</summary>
    public static TheoryData<string, string, string> ExpectedRoles => new()
    {
        { "Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Microsoft.Storage/storageAccounts" },
        { "Storage Queue Data Contributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Microsoft.Storage/storageAccounts" },
        { "Storage Table Data Contributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Microsoft.Storage/storageAccounts" },
        { "Key Vault Secrets Officer", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", "Microsoft.KeyVault/vaults" },
        { "Monitoring Metrics Publisher", "3913510d-42f4-4e42-8a64-420c390055eb", "Microsoft.Insights/components" },
        { "Durable Task Data Contributor", "0ad04412-c4d5-4796-b79c-f76d14c8d402", "Microsoft.DurableTask/schedulers/taskHubs" },
    };

    [Theory]
    [MemberData(nameof(ExpectedRoles))]
    public void Identity_gets_role_on_exactly_its_resource(string role, string roleId, string scopeType)
    {
        var assignment = Assert.Single(RoleAssignments(), a => a.RoleId == roleId);
        Assert.True(assignment.ScopeType == scopeType, $"{role} is scoped to {assignment.ScopeType}, expected {scopeType}");
        Assert.Equal("ServicePrincipal", assignment.PrincipalType);
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", assignment.PrincipalId);
        Assert.False(string.IsNullOrWhiteSpace(assignment.Description), $"{role} must state why it is granted");
    }

    [Fact]
    public void No_other_role_is_assigned()
    {
        var expected = ExpectedRoles.Select(row => (string)row[1]).ToHashSet();
        var unexpected = RoleAssignments().Where(a => !expected.Contains(a.RoleId)).Select(a => $"{a.RoleId} on {a.ScopeType}").ToList();
        Assert.True(unexpected.Count == 0, "unexpected role assignments: " + string.Join(", ", unexpected));
        Assert.Equal(expected.Count, RoleAssignments().Count);
    }

    [Fact]
    public void Storage_host_settings_are_identity_based()
    {
        var settings = AppSettings.Settings;
        Assert.Equal("managedidentity", (string?)settings["AzureWebJobsStorage__credential"]);
        foreach (var key in new[] { "AzureWebJobsStorage__blobServiceUri", "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri", "AzureWebJobsStorage__clientId", "AZURE_CLIENT_ID" })
        {
            Assert.True(settings.ContainsKey(key), $"missing app setting {key}");
        }

        Assert.False(settings.ContainsKey("AzureWebJobsStorage"), "AzureWebJobsStorage must not be a connection string");
        Assert.StartsWith("[format('ClientId={0};Authorization=AAD'", (string?)settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.True(settings.ContainsKey("APPLICATIONINSIGHTS_CONNECTION_STRING"));

        // Flex Consumption rejects these; the runtime is in functionAppConfig instead.
        Assert.False(settings.ContainsKey("FUNCTIONS_WORKER_RUNTIME"));
        Assert.False(settings.ContainsKey("FUNCTIONS_EXTENSION_VERSION"));
        Assert.False(settings.ContainsKey("WEBSITE_RUN_FROM_PACKAGE"));
    }

    [Fact]
    public void Durable_task_scheduler_settings_use_the_managed_identity()
    {
        var settings = AppSettings.Settings;
        var connection = (string?)settings["DURABLE_TASK_SCHEDULER_CONNECTION_STRING"];
        Assert.StartsWith("[if(parameters('useDurableTaskScheduler')", connection);
        Assert.Contains("Endpoint={0};Authentication=ManagedIdentity;ClientID={1}", connection);
        Assert.Contains("azureManaged", (string?)settings["AzureFunctionsJobHost__extensions__durableTask__storageProvider__type"]);
        Assert.Contains("DURABLE_TASK_SCHEDULER_CONNECTION_STRING", (string?)settings["AzureFunctionsJobHost__extensions__durableTask__storageProvider__connectionStringName"]);
        Assert.True(settings.ContainsKey("AzureFunctionsJobHost__extensions__durableTask__hubName"));
    }

    [Theory]
    [InlineData("Confluence__ClientSecret")]
    [InlineData("RecordPoint__ClientSecret")]
    public void Secrets_are_key_vault_references(string key)
    {
        var value = (string?)AppSettings.Settings[key];
        Assert.NotNull(value);
        Assert.StartsWith("[format('@Microsoft.KeyVault(VaultName={0};SecretName={1})'", value);
    }

    [Fact]
    public void No_secret_is_a_parameter_or_a_literal_setting()
    {
        // Secrets never pass through the deployment: no parameter can carry one...
        var parameters = Infra.Main["parameters"]!.AsObject();
        Assert.DoesNotContain(parameters, p => SecretName().IsMatch(p.Key) || ((string?)p.Value?["type"])?.StartsWith("secure", StringComparison.OrdinalIgnoreCase) == true);

        // ...and every setting that looks like a secret is a Key Vault reference.
        foreach (var (key, value) in AppSettings.Settings)
        {
            if (SecretName().IsMatch(key) && !key.EndsWith("SecretName", StringComparison.Ordinal))
            {
                Assert.Contains("@Microsoft.KeyVault(", (string?)value);
            }
        }
    }

    [Fact]
    public void App_settings_resource_applies_every_setting_and_list()
    {
        var template = CompiledInfra.Template(AppSettings.Deployment);
        var config = Assert.Single(CompiledInfra.Resources(template), r => (string?)r["type"] == "Microsoft.Web/sites/config");
        Assert.EndsWith("'appsettings')]", (string?)config["name"]);
        var applied = CompiledInfra.ResolveVariables((string)config["properties"]!, template);
        var variables = string.Concat(template["variables"]!.AsObject().Select(v => (string?)v.Value));
        Assert.Contains("parameters('settings')", variables + applied);
        Assert.Contains("parameters('indexedSettings')", variables + applied);
        Assert.Contains("format('{0}__{1}'", variables);
    }

    [Fact]
    public void Outputs_give_the_app_url_the_oauth_callback_and_the_vault_uri()
    {
        var outputs = Infra.Main["outputs"]!.AsObject();
        Assert.StartsWith("[format('https://{0}'", (string?)outputs["FUNCTION_APP_URL"]?["value"]);
        Assert.StartsWith("[format('https://{0}/api/oauth/callback'", (string?)outputs["OAUTH_CALLBACK_URL"]?["value"]);
        Assert.Contains("outputs.uri.value", (string?)outputs["KEY_VAULT_URI"]?["value"]);
        Assert.Equal((string?)outputs["OAUTH_CALLBACK_URL"]?["value"], (string?)AppSettings.Settings["Confluence__CallbackUrl"]);
    }

    [Fact]
    public void Example_parameters_file_builds_and_holds_no_secret()
    {
        var parameters = Infra.Parameters["parameters"]!.AsObject();
        Assert.Contains("confluenceDomain", parameters.Select(p => p.Key));
        Assert.DoesNotContain(parameters, p => SecretName().IsMatch(p.Key));
    }

    internal static AppSettingsInTemplate AppSettings => AppSettingsInTemplate.From(Infra);

    private static string PolicyName(JsonObject policy) =>
        Regex.Match((string)policy["name"]!, @"'(\w+)'\)\]$").Groups[1].Value;

    private static List<RoleAssignment> RoleAssignments() =>
        Infra.OfType("Microsoft.Authorization/roleAssignments").Select(RoleAssignment.From).ToList();

    [GeneratedRegex("secret|password|apitoken|accountkey", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    private sealed partial record RoleAssignment(string RoleId, string ScopeType, string PrincipalType, string PrincipalId, string? Description)
    {
        public static RoleAssignment From(TemplateResource resource)
        {
            var properties = resource.Properties!;
            var roleDefinition = resource.Resolve((string?)properties["roleDefinitionId"]);
            var scope = resource.Resolve((string?)resource.Json["scope"]);
            return new RoleAssignment(
                GuidPattern().Match(roleDefinition).Value,
                ScopeTypePattern().Match(scope).Groups[1].Value,
                (string?)properties["principalType"] ?? string.Empty,
                (string?)properties["principalId"] ?? string.Empty,
                (string?)properties["description"]);
        }

        [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
        private static partial Regex GuidPattern();

        [GeneratedRegex(@"resourceId\('([^']+)'")]
        private static partial Regex ScopeTypePattern();
    }
}

/// <summary>
/// The app settings main.bicep passes to modules/appsettings.bicep: <c>settings</c> (one literal
/// key per setting) and <c>indexedSettings</c> (list prefixes that become <c>prefix__0</c>, ...).
/// </summary>
internal sealed record AppSettingsInTemplate(JsonObject Deployment, JsonObject Settings, JsonObject IndexedSettings)
{
    public static AppSettingsInTemplate From(CompiledInfra infra)
    {
        var deployment = infra.DeploymentDeclaring("Microsoft.Web/sites/config");
        var parameters = deployment["properties"]!["parameters"]!;
        return new AppSettingsInTemplate(
            deployment,
            parameters["settings"]!["value"]!.AsObject(),
            parameters["indexedSettings"]!["value"]!.AsObject());
    }

    /// <summary>True when the key is a scalar setting (case-insensitive, as .NET configuration is).</summary>
    public bool HasSetting(string key) => Settings.Any(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>True when the list prefix is an indexed setting (<c>prefix__0</c>, <c>prefix__1</c>, ...).</summary>
    public bool HasList(string prefix) =>
        IndexedSettings.Any(s => string.Equals(s.Key, prefix, StringComparison.OrdinalIgnoreCase)) || HasSetting(prefix + "__0");
}
