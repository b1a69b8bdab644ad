namespace ConfluenceConnector.Simulators.RecordPoint;

/// <summary>Read-only view of the store for standalone use: GET /_sim/aggregations, /_sim/items, /_sim/binaries[/{item}/{binary}/content].</summary>
internal static class SimQueryEndpoints
{
    public static void Map(WebApplication app, RecordPointApi api)
    {
        app.MapGet("/_sim/aggregations", (RequestDelegate)(http => RecordPointApi.WriteAsync(http, api.Store.Aggregations.Select(a => new
        {
            a.ConnectorId,
            a.ExternalId,
            a.Versions,
            a.History,
        }).ToList())));

        app.MapGet("/_sim/items", (RequestDelegate)(http => RecordPointApi.WriteAsync(http, api.Store.Items.Select(i => new
        {
            i.ConnectorId,
            i.ExternalId,
            i.Versions,
            i.AggregationStatus,
            i.History,
        }).ToList())));

        app.MapGet("/_sim/binaries", (RequestDelegate)(http => RecordPointApi.WriteAsync(http, api.Store.Binaries.Select(b => new
        {
            b.ConnectorId,
            b.ItemExternalId,
            b.BinaryExternalId,
            b.FileName,
            b.MimeType,
            b.FileSize,
            b.Metadata,
            b.SubmittedVia,
            b.Versions,
            b.Latest.FileHash,
            b.Latest.ItemSourceLastModifiedDate,
            b.Latest.ReceivedAt,
        }).ToList())));

        app.MapGet("/_sim/binaries/{itemExternalId}/{binaryExternalId}/content", (RequestDelegate)(async http =>
        {
            var binary = api.Store.FindBinary((string)http.Request.RouteValues["itemExternalId"]!, (string)http.Request.RouteValues["binaryExternalId"]!);
            if (binary is null)
            {
                http.Response.StatusCode = 404;
                return;
            }

            http.Response.ContentType = binary.MimeType ?? "application/octet-stream";
            http.Response.ContentLength = binary.Content.LongLength;
            await http.Response.Body.WriteAsync(binary.Content, http.RequestAborted);
        }));
    }
}
