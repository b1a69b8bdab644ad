using Refit;

namespace ConfluenceConnector.Core.RecordPoint;

/// <summary>RecordPoint's Connector API (specs/recordpoint-connector-api.swagger.json, basePath /connector).</summary>
public interface IRecordPointApi
{
    [Post("/api/Aggregations")]
    Task<IApiResponse> SubmitAggregationAsync([Body] AggregationSubmission aggregation, CancellationToken cancellationToken = default);

    [Post("/api/Items")]
    Task<IApiResponse<ItemAcceptance>> SubmitItemAsync([Body] ItemSubmission item, CancellationToken cancellationToken = default);

    [Post("/api/Binaries/GetSASToken")]
    Task<IApiResponse<BinaryUploadTarget>> GetSasTokenAsync([Body] BinarySubmission binary, CancellationToken cancellationToken = default);

    [Post("/api/Binaries/NotifyBinarySubmission")]
    Task<IApiResponse> NotifyBinarySubmissionAsync([Body] BinarySubmission binary, CancellationToken cancellationToken = default);

    [Post("/api/Binaries")]
    Task<IApiResponse> SubmitBinaryStreamAsync([Query] LegacyBinaryQuery query, [Body] HttpContent content, CancellationToken cancellationToken = default);

    [Get("/api/ConnectorConfigurations/{id}")]
    Task<IApiResponse<ConnectorConfiguration>> GetConnectorConfigurationAsync(string id, CancellationToken cancellationToken = default);

    [Get("/api/Notifications")]
    Task<IApiResponse<List<ConnectorNotification>>> GetNotificationsAsync([AliasAs("connectorId")] string connectorId, CancellationToken cancellationToken = default);

    [Post("/api/Notifications")]
    Task<IApiResponse> AcknowledgeNotificationAsync([Body] NotificationAcknowledgement acknowledgement, CancellationToken cancellationToken = default);
}
