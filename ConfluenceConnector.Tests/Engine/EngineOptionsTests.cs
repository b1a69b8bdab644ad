using ConfluenceConnector.Cli.Commands;
using ConfluenceConnector.Cli.Engine;
using ConfluenceConnector.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace ConfluenceConnector.Tests.Engine;

/// <summary>Start-up validation of the local engine's settings (<c>Engine:*</c>).</summary>
public sealed class EngineOptionsTests
{
    private const string Azurite = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    private static IReadOnlyList<string> Failures(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        try
        {
            LocalConnectorHost.ReadEngineOptions(configuration);
            return [];
        }
        catch (Exception e) when (SettingsErrors.From(e) is { } failures)
        {
            return failures;
        }
    }

    [Fact]
    public void No_engine_settings_mean_the_in_memory_engine_with_the_default_task_hub()
    {
        var options = LocalConnectorHost.ReadEngineOptions(new ConfigurationBuilder().Build());

        Assert.Equal(EngineBackend.Memory, options.Backend);
        Assert.Equal("ConfluenceConnector", options.TaskHub);
        Assert.Equal(TimeSpan.FromMinutes(5), options.WorkItemVisibilityTimeout);
    }

    [Fact]
    public void Azure_storage_settings_that_are_complete_pass()
    {
        var options = LocalConnectorHost.ReadEngineOptions(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Engine:Backend"] = "AzureStorage",
            ["Engine:StorageConnectionString"] = Azurite,
            ["Engine:TaskHub"] = "Nightly2",
            ["Engine:WorkItemVisibilityTimeout"] = "00:15:00",
        }).Build());

        Assert.Equal(EngineBackend.AzureStorage, options.Backend);
        Assert.Equal("Nightly2", options.TaskHub);
        Assert.Equal(TimeSpan.FromMinutes(15), options.WorkItemVisibilityTimeout);
    }

    [Fact]
    public void Azure_storage_without_a_connection_string_is_refused_naming_the_setting()
    {
        var failure = Assert.Single(Failures(("Engine:Backend", "AzureStorage")));

        Assert.Contains("Engine:StorageConnectionString is required", failure);
    }

    [Theory]
    [InlineData("Engine:StorageConnectionString", "not a connection string", "Engine:StorageConnectionString is not an Azure Storage connection string")]
    [InlineData("Engine:TaskHub", "my-hub", "Engine:TaskHub 'my-hub' is not a valid task hub name")]
    [InlineData("Engine:TaskHub", "1hub", "Engine:TaskHub '1hub' is not a valid task hub name")]
    [InlineData("Engine:WorkItemVisibilityTimeout", "00:00:02", "Engine:WorkItemVisibilityTimeout '00:00:02' is out of range")]
    public void A_malformed_azure_storage_setting_is_refused_with_the_accepted_form(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string>
        {
            ["Engine:Backend"] = "AzureStorage",
            ["Engine:StorageConnectionString"] = Azurite,
            [key] = value,
        };

        var failure = Assert.Single(Failures([.. settings.Select(s => (s.Key, s.Value))]));

        Assert.StartsWith(expected, failure);
    }

    [Fact]
    public void An_unknown_backend_is_refused_with_the_accepted_values()
    {
        var failure = Assert.Single(Failures(("Engine:Backend", "Sql")));

        Assert.Contains("Engine:Backend is Memory or AzureStorage", failure);
    }

    [Fact]
    public async Task Status_on_the_in_memory_engine_explains_that_it_reads_a_task_hub()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CliApp.RunAsync(["status"], output, error, CancellationToken.None);

        Assert.Equal(CliApp.ExitInvalidSettings, exit);
        Assert.Contains("--Engine:Backend=AzureStorage", error.ToString());
    }
}
