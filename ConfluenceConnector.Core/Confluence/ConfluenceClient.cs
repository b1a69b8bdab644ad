using System.Net.Http.Json;
using System.Runtime.ExceptionServices;
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

    /// <summary>One page of a space's current and archived blog posts with the storage-format body.</summary>
    public async Task<ListingPage<Page>> ListSpaceBlogPostsAsync(string spaceId, string? nextLink, CancellationToken cancellationToken)
    {
        if (nextLink is not null)
        {
            return await FollowAsync<Page>(nextLink, cancellationToken).ConfigureAwait(false);
        }

        var query = new BlogPostListQuery { Status = PageStatuses, BodyFormat = "storage", Limit = syncOptions.Value.PageSize };
        return await SendAsync(() => api.GetSpaceBlogPostsAsync(spaceId, query, cancellationToken), $"GET /wiki/api/v2/spaces/{spaceId}/blogposts").ConfigureAwait(false);
    }

    /// <summary>
    /// Every footer and inline comment of a page or blog post with every reply at any depth, storage bodies included.
    /// Per-content lists return root comments only, so each comment's children are walked too.
    /// </summary>
    public async Task<IReadOnlyList<Comment>> ListAllCommentsAsync(ContentRef content, CancellationToken cancellationToken)
    {
        var all = new List<Comment>();
        var query = new CommentListQuery { BodyFormat = "storage", Limit = syncOptions.Value.PageSize };
        foreach (var kind in CommentKinds)
        {
            var pending = new Queue<Comment>();
            foreach (var root in await WalkAsync(() => api.GetRootCommentsAsync(content.PathSegment, content.Id, kind, query, cancellationToken), $"GET /wiki/api/v2/{content.PathSegment}/{content.Id}/{kind}-comments", cancellationToken).ConfigureAwait(false))
            {
                pending.Enqueue(root with { ResolutionStatus = kind == "inline" ? root.ResolutionStatus ?? "open" : null });
            }

            while (pending.TryDequeue(out var comment))
            {
                all.Add(comment);
                var replies = await WalkAsync(() => api.GetCommentChildrenAsync(kind, comment.Id, query, cancellationToken), $"GET /wiki/api/v2/{kind}-comments/{comment.Id}/children", cancellationToken).ConfigureAwait(false);
                foreach (var reply in replies)
                {
                    pending.Enqueue(reply with { ParentCommentId = reply.ParentCommentId ?? comment.Id, ResolutionStatus = kind == "inline" ? reply.ResolutionStatus ?? "open" : null });
                }
            }
        }

        return all;
    }

    /// <summary>The rendered <c>export_view</c> HTML of a page or blog post (one request).</summary>
    public async Task<string> GetExportViewAsync(ContentRef content, CancellationToken cancellationToken)
    {
        var request = $"GET /wiki/api/v2/{content.PathSegment}/{content.Id}?body-format=export_view";
        IApiResponse<Page> response;
        try
        {
            response = await api.GetContentAsync(content.PathSegment, content.Id, "export_view", cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ConfluenceApiException($"{request} failed: {e.Message}", e.StatusCode, e);
        }
        catch (ApiRequestException e) when (e.InnerException is QuotaExhaustedException)
        {
            ThrowIfQuotaSpent(e);
            throw;
        }

        using (response)
        {
            ThrowIfQuotaSpent(response.Error);
            if (response.Error is { } error || response.Content?.Body?.ExportView?.Value is not { } html)
            {
                throw new ConfluenceApiException($"{request} answered {(int?)response.StatusCode} {response.ReasonPhrase} without an export_view body.", response.IsSuccessStatusCode ? null : response.StatusCode, response.Error);
            }

            ConfluenceUsage.CountObjects(1);
            return html;
        }
    }

    /// <summary>Every current attachment of a page or blog post.</summary>
    public Task<IReadOnlyList<Attachment>> ListAllAttachmentsAsync(ContentRef content, CancellationToken cancellationToken) =>
        WalkAsync(() => api.GetAttachmentsAsync(content.PathSegment, content.Id, new LimitQuery { Limit = syncOptions.Value.PageSize }, cancellationToken), $"GET /wiki/api/v2/{content.PathSegment}/{content.Id}/attachments", cancellationToken);

    /// <summary>Every label of a page or blog post.</summary>
    public Task<IReadOnlyList<Label>> ListAllLabelsAsync(ContentRef content, CancellationToken cancellationToken) =>
        WalkAsync(() => api.GetLabelsAsync(content.PathSegment, content.Id, new LimitQuery { Limit = syncOptions.Value.PageSize }, cancellationToken), $"GET /wiki/api/v2/{content.PathSegment}/{content.Id}/labels", cancellationToken);

    /// <summary>One page of every footer or inline comment of the site (<paramref name="kind"/>: "footer" or "inline"), replies included, with storage bodies.</summary>
    public async Task<ListingPage<Comment>> ListSiteCommentsAsync(string kind, string? nextLink, CancellationToken cancellationToken)
    {
        if (nextLink is not null)
        {
            return await FollowAsync<Comment>(nextLink, cancellationToken).ConfigureAwait(false);
        }

        var query = new CommentListQuery { BodyFormat = "storage", Limit = syncOptions.Value.PageSize };
        return await SendAsync(() => api.GetSiteCommentsAsync(kind, query, cancellationToken), $"GET /wiki/api/v2/{kind}-comments").ConfigureAwait(false);
    }

    /// <summary>One page of every attachment of the site.</summary>
    public async Task<ListingPage<Attachment>> ListSiteAttachmentsAsync(string? nextLink, CancellationToken cancellationToken) => nextLink is not null
        ? await FollowAsync<Attachment>(nextLink, cancellationToken).ConfigureAwait(false)
        : await SendAsync(() => api.GetSiteAttachmentsAsync(new LimitQuery { Limit = syncOptions.Value.PageSize }, cancellationToken), "GET /wiki/api/v2/attachments").ConfigureAwait(false);

    /// <summary>One page of every label of the site.</summary>
    public async Task<ListingPage<Label>> ListSiteLabelsAsync(string? nextLink, CancellationToken cancellationToken) => nextLink is not null
        ? await FollowAsync<Label>(nextLink, cancellationToken).ConfigureAwait(false)
        : await SendAsync(() => api.GetSiteLabelsAsync(new LimitQuery { Limit = syncOptions.Value.PageSize }, cancellationToken), "GET /wiki/api/v2/labels").ConfigureAwait(false);

    /// <summary>One page of the pages or blog posts (<paramref name="container"/>: "pages" or "blogposts") carrying a label, without bodies (ids are what the index needs).</summary>
    public async Task<ListingPage<Page>> ListLabelContentAsync(string labelId, string container, string? nextLink, CancellationToken cancellationToken) => nextLink is not null
        ? await FollowAsync<Page>(nextLink, cancellationToken).ConfigureAwait(false)
        : await SendAsync(() => api.GetLabelContentAsync(labelId, container, new LimitQuery { Limit = syncOptions.Value.PageSize }, cancellationToken), $"GET /wiki/api/v2/labels/{labelId}/{container}").ConfigureAwait(false);

    /// <summary>The absolute URL of a <c>_links.next</c> value: the API root (site or gateway) + the relative link, verbatim.</summary>
    public static Uri ResolveNextLink(Uri apiRoot, string nextLink)
    {
        if (!nextLink.StartsWith("/wiki/", StringComparison.Ordinal))
        {
            throw new ConfluenceApiException($"Confluence returned a next link that does not start with /wiki/: '{nextLink}'. The listing cannot continue safely.", null);
        }

        return new Uri(apiRoot.GetLeftPart(UriPartial.Path).TrimEnd('/') + nextLink, UriKind.Absolute);
    }

    private static readonly string[] CommentKinds = ["footer", "inline"];

    /// <summary>Walks a whole listing: the first page through Refit, every later one through its next link.</summary>
    private async Task<IReadOnlyList<T>> WalkAsync<T>(Func<Task<IApiResponse<MultiEntityResult<T>>>> first, string request, CancellationToken cancellationToken)
    {
        var page = await SendAsync(first, request).ConfigureAwait(false);
        var all = new List<T>(page.Results);
        while (page.NextLink is not null)
        {
            page = await FollowAsync<T>(page.NextLink, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Results);
        }

        return all;
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
        catch (ApiRequestException e) when (e.InnerException is QuotaExhaustedException)
        {
            ThrowIfQuotaSpent(e);
            throw;
        }

        using (response)
        {
            ThrowIfQuotaSpent(response.Error);
            if (response.Error is { } error)
            {
                var detail = error is ApiException { Content: { } content } ? Snippet(content) : error.Message;
                throw new ConfluenceApiException($"{request} answered {(int?)response.StatusCode} {response.ReasonPhrase}: {detail}", response.IsSuccessStatusCode ? null : response.StatusCode, error);
            }

            return ToPage(response.Content, request);
        }
    }

    /// <summary>Refit wraps what the handlers throw: a spent quota must reach the orchestration as itself.</summary>
    private static void ThrowIfQuotaSpent(Exception? error)
    {
        if (error?.InnerException is QuotaExhaustedException quota)
        {
            ExceptionDispatchInfo.Throw(quota);
        }
    }

    private static ListingPage<T> ToPage<T>(MultiEntityResult<T>? body, string request)
    {
        if (body?.Results is null)
        {
            throw new ConfluenceApiException($"{request} returned no 'results' array: the listing cannot be trusted.", null);
        }

        ConfluenceUsage.CountObjects(body.Results.Count);
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
