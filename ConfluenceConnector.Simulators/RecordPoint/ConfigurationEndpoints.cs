namespace ConfluenceConnector.Simulators.RecordPoint;

/// <summary>GET api/ConnectorConfigurations/{id}, GET/POST api/Notifications.</summary>
internal static class ConfigurationEndpoints
{
    private static readonly DateTimeOffset Created = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void Map(WebApplication app, RecordPointApi api)
    {
        app.MapGet(RecordPointApi.Prefix + "/ConnectorConfigurations/{id}", api.Handle(http =>
        {
            var id = (string)http.Request.RouteValues["id"]!;
            var status = api.Store.ConnectorStatus;
            return RecordPointApi.WriteAsync(http, new
            {
                id,
                connectorTypeId = "confluence-cloud",
                status,
                statusCode = status,
                createdDate = Created,
                modifiedDate = Created,
                createdBy = "simulator",
                modifiedBy = "simulator",
                tenantId = "00000000-0000-0000-0000-000000000001",
                tenantDomainName = "sim.records365.local",
                displayName = "Confluence Cloud (simulated)",
                hasSubmittedData = api.Store.Items.Count > 0,
                properties = Array.Empty<object>(),
                protectionEnabled = true,
            });
        }));

        var empty = api.Handle(http => RecordPointApi.WriteAsync(http, Array.Empty<object>()));
        app.MapGet(RecordPointApi.Prefix + "/Notifications", empty);
        app.MapGet(RecordPointApi.Prefix + "/Notifications/{connectorId}", empty);
        app.MapPost(RecordPointApi.Prefix + "/Notifications", api.Handle(async http =>
        {
            var input = await RecordPointApi.ReadJsonAsync<NotificationAckInput>(http);
            api.Store.AddAck(new StoredNotificationAck(
                RecordPointApi.Required(input.ConnectorId, "connectorId"),
                RecordPointApi.Required(input.NotificationId, "notificationId"),
                RecordPointApi.Required(input.ProcessingResult, "processingResult"),
                input.ConnectorStatusMessage));
            await RecordPointApi.WriteAsync(http, null);
        }));
    }
}
