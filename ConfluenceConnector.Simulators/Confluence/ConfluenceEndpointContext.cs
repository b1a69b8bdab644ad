using ConfluenceConnector.Simulators.Common;

namespace ConfluenceConnector.Simulators.Confluence;

/// <summary>What every Confluence endpoint group needs: the site, the paginator and error handling.</summary>
internal sealed class ConfluenceEndpointContext(ConfluenceSite site, PointsCounter points)
{
    public const string ApiV2 = "/wiki/api/v2";

    public ConfluenceSite Site { get; } = site;

    /// <summary>Rate-limit points used so far.</summary>
    public PointsCounter Points { get; } = points;

    private int mediaBreaks;

    /// <summary>The next <paramref name="times"/> media downloads send half their bytes, then drop the connection.</summary>
    public void BreakMediaDownloads(int times) => Interlocked.Exchange(ref mediaBreaks, times);

    /// <summary>Whether this media download is one to break (and counts it off).</summary>
    public bool TakeMediaBreak()
    {
        var left = Volatile.Read(ref mediaBreaks);
        while (left > 0)
        {
            var seen = Interlocked.CompareExchange(ref mediaBreaks, left - 1, left);
            if (seen == left)
            {
                return true;
            }

            left = seen;
        }

        return false;
    }

    /// <summary>Lists one page of results at a time and counts the objects returned.</summary>
    public Pagination Pagination { get; } = new(points, site.CursorKey);

    /// <summary>Site base as Confluence reports it in _links.base: "{scheme}://{host}/wiki".</summary>
    public static string SiteBase(HttpRequest request) => $"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}/wiki";

    /// <summary>Runs a handler, turning <see cref="ApiException"/> into the Confluence error JSON.</summary>
    public static RequestDelegate Handle(Func<HttpContext, Task> handler) => async http =>
    {
        try
        {
            await handler(http);
        }
        catch (ApiException ex) when (!http.Response.HasStarted)
        {
            await ConfluenceJson.WriteAsync(http, ConfluenceJson.Error(ex.StatusCode, ex.Code, ex.Message), ex.StatusCode);
        }
    };

    /// <summary>Path ids are int64 in the spec: anything else is a 400.</summary>
    public static long PathId(HttpContext http, string name = "id")
    {
        var raw = http.Request.RouteValues[name] as string;
        var id = ConfluenceIds.Parse(raw);
        return id > 0 ? id : throw QueryReader.Invalid(name, raw ?? "");
    }

    public static ApiException NotFound() => new(404, "NOT_FOUND", "Not Found");
}
