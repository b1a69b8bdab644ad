using System.Net.Http.Json;
using System.Text.Json;
using ConfluenceConnector.Core.Configuration;
using Microsoft.Extensions.Options;
using Refit;

namespace ConfluenceConnector.Core.Confluence;

/// <summary>
/// Walks Confluence listings one page at a time. The first page is asked for through <see cref="IConfluenceApi"/>;
/// every later page is the response's <c>_links.next</c> appended verbatim to the API root (it is relative and
/// already starts with <c>/wiki</c>), so cursors and every original parameter pass untouched. Any failure in the
/// middle of a walk throws: a listing never ends early without saying so.
/// </summary>
public sealed class ConfluenceClient(
    IConfluenceApi api,
    IHttpClientFactory httpClientFactory,
    IConfluenceAuthenticator authenticator,
    IOptions<SyncOptions> syncOptions)
{
    /// <summary>Name of the HttpClient (and its handler pipeline) that every Confluence call uses.</summary>
    public const string HttpClientName = "Confluence";

    /// <summary>Space statuses that are records: both must be asked for explicitly, one walk each.</summary>
    public static readonly IReadOnlyList<string> SpaceStatuses = ["current", "archived"];

    /// <summary>Page statuses that are records; trashed, deleted and draft content is not.</summary>
    public const string PageStatuses = "current,archived";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>One page of spaces with the given status, optionally restricted to <paramref name="keys"/> (at most 250).</summary>
    public async Task<ListingPage<Space>> ListSpacesAsync(string status, IReadOnlyCollection<string>? keys, string? nextLink, CancellationToken cancellationToken)
    {
        if (nextLink is not null)
        {
            return await FollowAsync<Space>(nextLink, cancellationToken).ConfigureAwait(false);
        }

        var query = new SpaceListQuery
        {
            Status = status,
            Keys = keys is { Count: > 0 } ? string.Join(',', keys) : null,
            Limit = syncOptions.Value.PageSize,
        };
        return await SendAsync(() => api.GetSpacesAsync(query, cancellationToken), "GET /wiki/api/v2/spaces").ConfigureAwait(false);
    }

    /// <summary>One page of a space's current and archived pages, every depth, with the storage-format body.</summary>
    public async Task<ListingPage<Page>> ListSpacePagesAsync(string spaceId, string? nextLink, CancellationToken cancellationToken)
    {
        if (nextLink is not null)
        {
            return await FollowAsync<Page>(nextLink, cancellationToken).ConfigureAwait(false);
        }

        var query = new PageListQuery
        {
            Depth = "all",
            Status = PageStatuses,
            BodyFormat = "storage",
            Limit = syncOptions.Value.PageSize,
        };
        return await SendAsync(() => api.GetSpacePagesAsync(spaceId, query, cancellationToken), $"GET /wiki/api/v2/spaces/{spaceId}/pages").ConfigureAwait(false);
    }

    /// <summary>The absolute URL of a <c>_links.next</c> value: the API root (site or gateway) + the relative link, verbatim.</summary>
    public static Uri ResolveNextLink(Uri apiRoot, string nextLink)
    {
        if (!nextLink.StartsWith("/wiki/", StringComparison.Ordinal))
        {
            throw new ConfluenceApiException($"Confluence returned a next link that does not start with /wiki/: '{nextLink}'. The listing cannot continue safely.", null);
        }

        return new Uri(apiRoot.GetLeftPart(UriPartial.Path).TrimEnd('/') + nextLink, UriKind.Absolute);
    }

    private async Task<ListingPage<T>> FollowAsync<T>(string nextLink, CancellationToken cancellationToken)
    {
        var url = ResolveNextLink(authenticator.ApiRoot, nextLink);
        var path = url.AbsolutePath;
        var client = httpClientFactory.CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ConfluenceApiException($"GET {path} failed: {e.Message}", e.StatusCode, e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new ConfluenceApiException(
                    $"GET {path} answered {(int)response.StatusCode} {response.ReasonPhrase}: {await ReadSnippetAsync(response.Content, cancellationToken).ConfigureAwait(false)}",
                    response.StatusCode);
            }

            MultiEntityResult<T>? body;
            try
            {
                body = await response.Content.ReadFromJsonAsync<MultiEntityResult<T>>(Json, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                throw new ConfluenceApiException($"GET {path} returned a body that is not a valid listing: {e.Message}", response.StatusCode, e);
            }

            return ToPage(body, $"GET {path}");
        }
    }

    private static async Task<ListingPage<T>> SendAsync<T>(Func<Task<IApiResponse<MultiEntityResult<T>>>> call, string request)
    {
        IApiResponse<MultiEntityResult<T>> response;
        try
        {
            response = await call().ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ConfluenceApiException($"{request} failed: {e.Message}", e.StatusCode, e);
        }

        using (response)
        {
            if (response.Error is { } error)
            {
                var detail = error is ApiException { Content: { } content } ? Snippet(content) : error.Message;
                throw new ConfluenceApiException($"{request} answered {(int?)response.StatusCode} {response.ReasonPhrase}: {detail}", response.IsSuccessStatusCode ? null : response.StatusCode, error);
            }

            return ToPage(response.Content, request);
        }
    }

    private static ListingPage<T> ToPage<T>(MultiEntityResult<T>? body, string request)
    {
        if (body?.Results is null)
        {
            throw new ConfluenceApiException($"{request} returned no 'results' array: the listing cannot be trusted.", null);
        }

        return new ListingPage<T>(body.Results, string.IsNullOrEmpty(body.Links?.Next) ? null : body.Links.Next);
    }

    private static async Task<string> ReadSnippetAsync(HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            return Snippet(await content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (HttpRequestException)
        {
            return "(no body)";
        }
    }

    private static string Snippet(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
