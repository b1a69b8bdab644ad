namespace ConfluenceConnector.Simulators.RecordPoint;

/// <summary>POST api/Aggregations, POST api/Items, PUT api/AuditEvents.</summary>
internal static class SubmissionEndpoints
{
    public static void Map(WebApplication app, RecordPointApi api)
    {
        app.MapPost(RecordPointApi.Prefix + "/Aggregations", api.Handle(http => PostAggregation(http, api)));
        app.MapPost(RecordPointApi.Prefix + "/Items", api.Handle(http => PostItem(http, api)));
        app.MapPut(RecordPointApi.Prefix + "/AuditEvents", api.Handle(http => PutAuditEvent(http, api)));
    }

    private static async Task PostAggregation(HttpContext http, RecordPointApi api)
    {
        var input = await RecordPointApi.ReadJsonAsync<AggregationInput>(http);
        api.EnsureConnectorEnabled();
        var version = new AggregationVersion
        {
            ConnectorId = RecordPointApi.Required(input.ConnectorId, "connectorId"),
            ExternalId = RecordPointApi.Required(input.ExternalId, "externalId"),
            Title = RecordPointApi.Required(input.Title, "title"),
            SourceCreatedBy = RecordPointApi.Required(input.SourceCreatedBy, "sourceCreatedBy"),
            SourceCreatedDate = RecordPointApi.RequiredDate(input.SourceCreatedDate, "sourceCreatedDate"),
            SourceLastModifiedBy = RecordPointApi.Required(input.SourceLastModifiedBy, "sourceLastModifiedBy"),
            SourceLastModifiedDate = RecordPointApi.RequiredDate(input.SourceLastModifiedDate, "sourceLastModifiedDate"),
            Author = input.Author,
            ParentExternalId = input.ParentExternalId,
            Location = input.Location,
            MediaType = input.MediaType,
            CorrelationId = input.CorrelationId,
            SourceProperties = RecordPointApi.Properties(input.SourceProperties),
            ReceivedAt = DateTimeOffset.UtcNow,
        };

        if (!api.Store.TryAddAggregation(version))
        {
            throw new Common.ApiException(409, "AlreadyExists", $"Aggregation '{version.ExternalId}' with this sourceLastModifiedDate was already submitted.", "externalId");
        }

        await RecordPointApi.WriteAsync(http, null);
    }

    private static async Task PostItem(HttpContext http, RecordPointApi api)
    {
        var input = await RecordPointApi.ReadJsonAsync<ItemInput>(http);
        api.EnsureConnectorEnabled();
        var connectorId = RecordPointApi.Required(input.ConnectorId, "connectorId");
        var externalId = RecordPointApi.Required(input.ExternalId, "externalId");
        var parentExternalId = RecordPointApi.Required(input.ParentExternalId, "parentExternalId");
        var title = RecordPointApi.Required(input.Title, "title");
        var author = RecordPointApi.Required(input.Author, "author");
        var contentVersion = RecordPointApi.Required(input.ContentVersion, "contentVersion");
        var location = RecordPointApi.Required(input.Location, "location");
        var mediaType = RecordPointApi.Required(input.MediaType, "mediaType");
        var createdBy = RecordPointApi.Required(input.SourceCreatedBy, "sourceCreatedBy");
        var created = RecordPointApi.RequiredDate(input.SourceCreatedDate, "sourceCreatedDate");
        var modifiedBy = RecordPointApi.Required(input.SourceLastModifiedBy, "sourceLastModifiedBy");
        var modified = RecordPointApi.RequiredDate(input.SourceLastModifiedDate, "sourceLastModifiedDate");
        var properties = RecordPointApi.Properties(input.SourceProperties);
        var binaries = (input.BinariesSubmitted ?? []).Select(b => b?.BinaryExternalId ?? "").Where(b => b.Length > 0).ToList();

        var added = api.Store.TryAddItem(
            aggregationFound => new ItemVersion
            {
                ConnectorId = connectorId,
                ExternalId = externalId,
                ParentExternalId = parentExternalId,
                Title = title,
                Author = author,
                ContentVersion = contentVersion,
                Location = location,
                MediaType = mediaType,
                MimeType = input.MimeType,
                SourceCreatedBy = createdBy,
                SourceCreatedDate = created,
                SourceLastModifiedBy = modifiedBy,
                SourceLastModifiedDate = modified,
                CorrelationId = input.CorrelationId,
                SecurityProfileIdentifier = input.SecurityProfileIdentifier,
                SourceProperties = properties,
                BinariesSubmitted = binaries,
                AggregationStatus = aggregationFound ? "Found" : "Pending",
                ReceivedAt = DateTimeOffset.UtcNow,
            },
            connectorId,
            externalId,
            parentExternalId,
            modified,
            contentVersion,
            out var stored);
        if (!added)
        {
            throw new Common.ApiException(409, "AlreadyExists", $"Item '{externalId}' version '{contentVersion}' was already submitted.", "externalId");
        }

        await RecordPointApi.WriteAsync(http, new ItemAcceptanceModel(stored.ExternalId, stored.SourceLastModifiedDate, stored.AggregationStatus));
    }

    private static async Task PutAuditEvent(HttpContext http, RecordPointApi api)
    {
        var input = await RecordPointApi.ReadJsonAsync<AuditEventInput>(http);
        api.EnsureConnectorEnabled();
        var e = new StoredAuditEvent(
            RecordPointApi.Required(input.ConnectorId, "connectorId"),
            RecordPointApi.Required(input.EventExternalId, "eventExternalId"),
            RecordPointApi.Required(input.EventType, "eventType"),
            RecordPointApi.Required(input.ItemExternalId, "itemExternalId"),
            RecordPointApi.OptionalDate(input.CreatedDate, "createdDate"),
            input.Description,
            input.UserId,
            input.UserName,
            RecordPointApi.Properties(input.SourceProperties));
        api.Store.AddAuditEvent(e);
        await RecordPointApi.WriteAsync(http, null);
    }
}
