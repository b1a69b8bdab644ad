using System.Text.Json.Serialization;

namespace ConfluenceConnector.Core.Confluence;

/// <summary>The v2 list envelope: <c>{ results: [...], _links: { next?, base } }</c>.</summary>
public sealed record MultiEntityResult<T>(
    [property: JsonPropertyName("results")] IReadOnlyList<T>? Results,
    [property: JsonPropertyName("_links")] MultiEntityLinks? Links);

/// <summary><c>next</c> is relative and already starts with <c>/wiki</c>; absent on the last page.</summary>
public sealed record MultiEntityLinks(
    [property: JsonPropertyName("next")] string? Next,
    [property: JsonPropertyName("base")] string? Base);

/// <summary>The <c>_links</c> of a single entity.</summary>
public sealed record EntityLinks([property: JsonPropertyName("webui")] string? WebUi);

/// <summary>SpaceBulk (v2).</summary>
public sealed record Space(
    string Id,
    string Key,
    string Name,
    string? Type,
    string? Status,
    string? AuthorId,
    DateTimeOffset? CreatedAt,
    string? HomepageId,
    [property: JsonPropertyName("_links")] EntityLinks? Links);

/// <summary>PageBulk (v2).</summary>
public sealed record Page(
    string Id,
    string? Status,
    string Title,
    string SpaceId,
    string? ParentId,
    string? ParentType,
    int? Position,
    string? AuthorId,
    string? OwnerId,
    DateTimeOffset? CreatedAt,
    ContentVersion? Version,
    PageBody? Body,
    [property: JsonPropertyName("_links")] EntityLinks? Links);

/// <summary>The version of a page: number, when and by whom.</summary>
public sealed record ContentVersion(
    int Number,
    DateTimeOffset? CreatedAt,
    string? AuthorId,
    string? Message,
    bool MinorEdit);

/// <summary>The bodies asked for with <c>body-format</c>.</summary>
public sealed record PageBody(BodyRepresentation? Storage);

/// <summary>One body representation.</summary>
public sealed record BodyRepresentation(string? Value, string? Representation);

/// <summary>One page of a listing walk: its results and the relative link to the next page (null on the last).</summary>
public sealed record ListingPage<T>(IReadOnlyList<T> Results, string? NextLink);
