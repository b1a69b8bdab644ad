using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using ConfluenceConnector.Simulators.Common;

namespace ConfluenceConnector.Simulators.Confluence;

/// <summary>
/// Attachments: the v2 lists (per page, per blog post, site-wide; default limit 50), the v1 download that answers
/// 302 to the media host with a single-use token, the media host itself (which refuses any Authorization header) and
/// the deprecated v2 <c>downloadLink</c> path, which answers 401. A media download can be made to break off halfway
/// (<see cref="ConfluenceSimulator.BreakNextMediaDownloads"/>).
/// </summary>
internal static class AttachmentsEndpoints
{
    /// <summary>Default page size of attachment lists (the spec's default, unlike the other lists).</summary>
    public const int DefaultLimit = 50;

    /// <summary>Path of the media host's download route (the real one lives on api.media.atlassian.com).</summary>
    public const string MediaPrefix = "/media/file";

    public static void Map(WebApplication app, ConfluenceEndpointContext ctx)
    {
        var tokens = new ConcurrentDictionary<string, SimAttachment>(StringComparer.Ordinal);
        app.MapGet(ConfluenceEndpointContext.ApiV2 + "/pages/{id}/attachments", ConfluenceEndpointContext.Handle(http => List(http, ctx, ctx.Site.Pages)));
        app.MapGet(ConfluenceEndpointContext.ApiV2 + "/blogposts/{id}/attachments", ConfluenceEndpointContext.Handle(http => List(http, ctx, ctx.Site.BlogPosts)));
        app.MapGet(ConfluenceEndpointContext.ApiV2 + "/attachments", ConfluenceEndpointContext.Handle(http => ListAll(http, ctx)));
        app.MapGet("/wiki/rest/api/content/{id}/child/attachment/{attachmentId}/download", ConfluenceEndpointContext.Handle(http => Redirect(http, ctx, tokens)));
        app.MapGet(MediaPrefix + "/{fileId}/binary", ConfluenceEndpointContext.Handle(http => Media(http, ctx, tokens)));
        app.MapGet("/wiki/download/attachments/{id}/{fileName}", ConfluenceEndpointContext.Handle(_ => throw new ApiException(401, "UNAUTHORIZED", "This download link is deprecated: use the v1 attachment download endpoint.")));
    }

    private static Task List(HttpContext http, ConfluenceEndpointContext ctx, List<SimPage> containers)
    {
        var id = ConfluenceEndpointContext.PathId(http).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var limit = Pagination.ReadLimit(new QueryReader(http.Request), DefaultLimit);
        List<SimAttachment> matches;
        lock (ctx.Site.SyncRoot)
        {
            if (!containers.Any(p => p.Id == id && p.Status != "deleted"))
            {
                throw ConfluenceEndpointContext.NotFound();
            }

            matches = ctx.Site.Attachments.Where(a => a.ContainerId == id && a.Status == "current").OrderBy(a => a.NumericId).ToList();
        }

        return ctx.Pagination.WriteAsync(http, matches, Dto, ConfluenceEndpointContext.SiteBase(http.Request), limit);
    }

    private static Task ListAll(HttpContext http, ConfluenceEndpointContext ctx)
    {
        var limit = Pagination.ReadLimit(new QueryReader(http.Request), DefaultLimit);
        List<SimAttachment> matches;
        lock (ctx.Site.SyncRoot)
        {
            matches = ctx.Site.Attachments.Where(a => a.Status == "current").OrderBy(a => a.NumericId).ToList();
        }

        return ctx.Pagination.WriteAsync(http, matches, Dto, ConfluenceEndpointContext.SiteBase(http.Request), limit);
    }

    private static Task Redirect(HttpContext http, ConfluenceEndpointContext ctx, ConcurrentDictionary<string, SimAttachment> tokens)
    {
        var containerId = ConfluenceEndpointContext.PathId(http).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var attachmentId = http.Request.RouteValues["attachmentId"] as string;
        SimAttachment attachment;
        lock (ctx.Site.SyncRoot)
        {
            attachment = (attachmentId is null ? null : ctx.Site.FindAttachment(attachmentId)) is { Status: "current" } found && found.ContainerId == containerId
                ? found
                : throw ConfluenceEndpointContext.NotFound();
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        tokens[token] = attachment;
        ctx.Points.Returned(http, 1);
        http.Response.StatusCode = 302;
        http.Response.Headers.Location = $"{http.Request.Scheme}://{http.Request.Host.Value}{MediaPrefix}/{attachment.FileId}/binary?token={token}&client=sim&name={Uri.EscapeDataString(attachment.Title)}";
        return Task.CompletedTask;
    }

    private static async Task Media(HttpContext http, ConfluenceEndpointContext ctx, ConcurrentDictionary<string, SimAttachment> tokens)
    {
        if (http.Request.Headers.Authorization.Count > 0)
        {
            throw new ApiException(401, "UNAUTHORIZED", "The media host accepts only the token in the URL: an Authorization header is refused.");
        }

        var token = http.Request.Query["token"].FirstOrDefault();
        if (string.IsNullOrEmpty(token) || !tokens.TryRemove(token, out var attachment) || attachment.FileId != http.Request.RouteValues["fileId"] as string)
        {
            throw new ApiException(401, "UNAUTHORIZED", "Missing, used or invalid media token: ask Confluence for a fresh download redirect.");
        }

        http.Response.StatusCode = 200;
        http.Response.ContentType = attachment.MediaType;
        http.Response.ContentLength = attachment.FileSize;
        await using var content = attachment.OpenContent();
        if (ctx.TakeMediaBreak())
        {
            var half = new byte[attachment.FileSize / 2];
            await content.ReadExactlyAsync(half, http.RequestAborted);
            await http.Response.Body.WriteAsync(half, http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
            http.Abort();
            return;
        }

        await content.CopyToAsync(http.Response.Body, 81920, http.RequestAborted);
    }

    private static AttachmentDto Dto(SimAttachment a) => new(
        a.Id,
        a.Status,
        a.Title,
        ConfluenceJson.Date(a.CreatedAt),
        a.ContainerType == "page" ? a.ContainerId : null,
        a.ContainerType == "blogpost" ? a.ContainerId : null,
        a.MediaType,
        a.FileId,
        a.FileSize,
        $"/pages/viewpageattachments.action?pageId={a.ContainerId}&preview=/{a.ContainerId}/{a.Id}/{Uri.EscapeDataString(a.Title)}",
        $"/download/attachments/{a.ContainerId}/{Uri.EscapeDataString(a.Title)}?version={a.VersionNumber}&api=v2",
        new VersionDto(ConfluenceJson.Date(a.CreatedAt), "", a.VersionNumber, false, a.AuthorId));
}

internal sealed record AttachmentDto(
    string Id,
    string Status,
    string Title,
    string CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PageId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BlogPostId,
    string MediaType,
    string FileId,
    long FileSize,
    string WebuiLink,
    string DownloadLink,
    VersionDto Version);
