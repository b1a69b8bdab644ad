using ConfluenceConnector.Core;
using ConfluenceConnector.Core.Operations;
using ConfluenceConnector.Core.RecordPoint;
using ConfluenceConnector.Core.Sync.Activities;
using ConfluenceConnector.Simulators.RecordPoint;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace ConfluenceConnector.Tests.Operations;

/// <summary>Notification polling and the connector's Status switch, against the RecordPoint simulator.</summary>
public sealed class NotificationProcessorTests : IAsyncLifetime
{
    private const string ConnectorId = "connector-1";
    private RecordPointSimulator recordPoint = null!;
    private ServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        recordPoint = await RecordPointSimulator.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Confluence:Domain"] = "acme",
            ["Confluence:Email"] = "a@acme.com",
            ["Confluence:ApiToken"] = "t",
            ["RecordPoint:ApiUrl"] = recordPoint.BaseUrl.ToString(),
            ["RecordPoint:AuthMode"] = "None",
            ["RecordPoint:ConnectorId"] = ConnectorId,
        }).Build();
        services = new ServiceCollection().AddLogging().AddConfluenceConnector(configuration).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await recordPoint.DisposeAsync();
    }

    [Fact]
    public async Task Each_notification_is_acknowledged_truthfully_and_leaves_the_queue()
    {
        var store = recordPoint.Store;
        var ping = store.EnqueueNotification(ConnectorId, "Ping");
        var destroy = store.EnqueueNotification(ConnectorId, "ItemDestroyed", itemExternalId: "123");
        var updated = store.EnqueueNotification(ConnectorId, "ConnectorConfigUpdated");
        var unknown = store.EnqueueNotification(ConnectorId, "ContentRegistration");
        store.EnqueueNotification("another-connector", "Ping");

        var processed = await services.GetRequiredService<NotificationProcessor>().ProcessAsync(CancellationToken.None);

        Assert.Equal(new NotificationsProcessed(2, 2, ConfigurationChanged: true), processed);
        var acks = store.NotificationAcks.ToDictionary(a => a.NotificationId);
        Assert.Equal(4, acks.Count);
        Assert.Equal("OK", acks[ping.Id].ProcessingResult);
        Assert.Equal("OK", acks[updated.Id].ProcessingResult);
        Assert.Equal("NotificationError", acks[destroy.Id].ProcessingResult);
        Assert.Contains("read-only", acks[destroy.Id].ConnectorStatusMessage);
        Assert.Contains("123", acks[destroy.Id].ConnectorStatusMessage);
        Assert.Equal("NotificationError", acks[unknown.Id].ProcessingResult);
        Assert.Contains("ContentRegistration", acks[unknown.Id].ConnectorStatusMessage);
        Assert.Equal("another-connector", Assert.Single(store.PendingNotifications).ConnectorId);
    }

    [Theory]
    [InlineData("Enabled", true)]
    [InlineData("Disabled", false)]
    [InlineData("Error", false)]
    public async Task The_connector_check_reads_the_status_switch(string status, bool enabled)
    {
        recordPoint.Store.SetConnectorStatus(status);
        var activity = services.GetRequiredService<CheckConnectorActivity>();

        var check = await activity.RunAsync(Mock.Of<TaskActivityContext>(), new ConnectorCheckRequest("run", ProcessNotifications: false));

        Assert.Equal(enabled, check.Enabled);
        Assert.Equal(status, check.Status);
        if (!enabled)
        {
            Assert.Contains("waits", check.Message);
        }
    }

    [Fact]
    public async Task An_unknown_connector_id_is_a_clear_stop()
    {
        var client = services.GetRequiredService<RecordPointClient>();
        recordPoint.FailNext(r => r.Path.Value!.Contains("/ConnectorConfigurations/", StringComparison.Ordinal), statusCode: 404);

        var error = await Assert.ThrowsAsync<RecordPointException>(() => client.GetConnectorConfigurationAsync(ConnectorId, CancellationToken.None));

        Assert.Equal(RecordPointFailureKind.Forbidden, error.Kind);
        Assert.Contains("RecordPoint:ConnectorId", error.Message);
    }
}
