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

        app.MapGet(RecordPointApi.Prefix + "/Notifications", api.Handle(http => WriteNotifications(http, api, http.Request.Query["connectorId"].ToString())));
        app.MapGet(RecordPointApi.Prefix + "/Notifications/{connectorId}", api.Handle(http => WriteNotifications(http, api, (string)http.Request.RouteValues["connectorId"]!)));
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

    /// <summary>ConnectorNotificationModel list: the connector's unacknowledged notifications, oldest first.</summary>
    private static Task WriteNotifications(HttpContext http, RecordPointApi api, string connectorId) =>
        RecordPointApi.WriteAsync(http, api.Store.PendingNotifications
            .Where(n => n.ConnectorId == connectorId)
            .OrderBy(n => n.Timestamp)
            .Select(n => new
            {
                id = n.Id,
                notificationType = n.NotificationType,
                timestamp = n.Timestamp,
                tenantId = "00000000-0000-0000-0000-000000000001",
                connectorId = n.ConnectorId,
                item = n.ItemExternalId is null ? null : new { externalId = n.ItemExternalId, connectorId = n.ConnectorId },
            })
            .ToList());
}
