using System.Text;
using ConfluenceConnector.Simulators.Common;
using Microsoft.AspNetCore.Routing;

namespace ConfluenceConnector.Simulators.Confluence;

/// <summary>Applies a <see cref="FaultProfile"/>'s Confluence faults to /wiki requests, and counts what it injected.</summary>
internal sealed class ConfluenceFaults(FaultProfile profile, RequestCounters injected, TimeProvider timeProvider)
{
    private readonly EveryCounter every = new();
    private readonly Dictionary<string, (long Second, int Count)> perSecond = new(StringComparer.Ordinal);

    /// <summary>Injects the fault due for this request, if any; false when the request was answered (or dropped).</summary>
    public async Task<bool> PassAsync(HttpContext http)
    {
        var endpoint = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "<unmatched>";
        await SimulatedLatency.WaitAsync(profile.Latency, profile.LatencyJitter, timeProvider, http.RequestAborted);
        if (every.Hit(profile.SlowEvery, "*slow"))
        {
            injected.Record("slow");
            await Task.Delay(profile.SlowBy, timeProvider, http.RequestAborted);
        }

        if (every.Hit(profile.DropEvery, "*drop"))
        {
            injected.Record("drop");
            http.Abort();
            return false;
        }

        if (every.Hit(profile.ServiceUnavailableEvery, "*503"))
        {
            injected.Record("503");
            await ConfluenceJson.WriteAsync(http, ConfluenceJson.Error(503, null, ConfluenceJson.DefaultTitle(503)), 503);
            return false;
        }

        if (every.Hit(profile.BurstEvery, "burst " + endpoint))
        {
            injected.Record("429 burst");
            await ConfluenceJson.WriteAsync(http, ConfluenceJson.Error(429, null, ConfluenceJson.DefaultTitle(429)), 429);
            return false;
        }

        if (OverBurstLimit(endpoint))
        {
            injected.Record("429 burst limit");
            http.Response.Headers["Retry-After"] = "1";
            await ConfluenceJson.WriteAsync(http, ConfluenceJson.Error(429, null, ConfluenceJson.DefaultTitle(429)), 429);
            return false;
        }

        if (every.Hit(profile.RetryAfterEvery, "retry-after " + endpoint))
        {
            injected.Record("429 retry-after");
            http.Response.Headers["Retry-After"] = "1";
            await ConfluenceJson.WriteAsync(http, ConfluenceJson.Error(429, null, ConfluenceJson.DefaultTitle(429)), 429);
            return false;
        }

        if (HttpMethods.IsGet(http.Request.Method) && every.Hit(profile.MalformedEvery, "*malformed"))
        {
            injected.Record("malformed");
            http.Response.StatusCode = 200;
            http.Response.ContentType = "application/json;charset=UTF-8";
            await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("{\"results\":[{\"id\":\"1"), http.RequestAborted);
            return false;
        }

        return true;
    }

    /// <summary>A fixed one-second window per endpoint: the request beyond <see cref="FaultProfile.BurstPerSecond"/> in the current second is refused.</summary>
    private bool OverBurstLimit(string endpoint)
    {
        if (profile.BurstPerSecond <= 0)
        {
            return false;
        }

        var second = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        lock (perSecond)
        {
            var (at, count) = perSecond.GetValueOrDefault(endpoint);
            count = at == second ? count + 1 : 1;
            perSecond[endpoint] = (second, count);
            return count > profile.BurstPerSecond;
        }
    }
}
