using Refit;

namespace ConfluenceConnector.Core.Confluence;

/// <summary>
/// The Confluence Cloud REST v2 endpoints the connector reads (see specs/confluence-cloud-v2.openapi.json).
/// Only the first page of a walk goes through these methods; later pages follow <c>_links.next</c> verbatim
/// (<see cref="ConfluenceClient"/>).
/// </summary>
[Headers("Accept: application/json")]
public interface IConfluenceApi
{
    [Get("/wiki/api/v2/spaces")]
    Task<IApiResponse<MultiEntityResult<Space>>> GetSpacesAsync([Query] SpaceListQuery query, CancellationToken cancellationToken = default);

    [Get("/wiki/api/v2/spaces/{id}/pages")]
    Task<IApiResponse<MultiEntityResult<Page>>> GetSpacePagesAsync(string id, [Query] PageListQuery query, CancellationToken cancellationToken = default);
}

/// <summary>Query of <c>GET /spaces</c>.</summary>
public sealed class SpaceListQuery
{
    [AliasAs("keys")]
    public string? Keys { get; init; }

    [AliasAs("status")]
    public string? Status { get; init; }

    [AliasAs("type")]
    public string? Type { get; init; }

    [AliasAs("limit")]
    public int Limit { get; init; }
}

/// <summary>Query of <c>GET /spaces/{id}/pages</c>.</summary>
public sealed class PageListQuery
{
    [AliasAs("depth")]
    public string Depth { get; init; } = "all";

    [AliasAs("status")]
    public string? Status { get; init; }

    [AliasAs("body-format")]
    public string? BodyFormat { get; init; }

    [AliasAs("limit")]
    public int Limit { get; init; }
}
