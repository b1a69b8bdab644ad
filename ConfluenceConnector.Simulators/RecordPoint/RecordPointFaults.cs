using System.Globalization;
using System.Text.Json;
using ConfluenceConnector.Simulators.Common;

namespace ConfluenceConnector.Simulators.RecordPoint;

/// <summary>Applies a <see cref="FaultProfile"/>'s RecordPoint faults to Connector API calls, and counts what it injected.</summary>
internal sealed class RecordPointFaults(FaultProfile profile, RequestCounters injected, TimeProvider timeProvider)
{
    private readonly EveryCounter every = new();
    private readonly object gate = new();
    private readonly HashSet<string> seenBinaries = new(StringComparer.Ordinal);
    private DateTimeOffset throttledAt;
    private DateTimeOffset throttledUntil;

    /// <summary>Calls already on their way when a 429 is answered are not told yet: those arriving within this are not early.</summary>
    public static readonly TimeSpan InFlightGrace = TimeSpan.FromMilliseconds(100);

    /// <summary>Injects the fault due for this call, if any; false when the call was answered.</summary>
    public async Task<bool> PassAsync(HttpContext http)
    {
        await SimulatedLatency.WaitAsync(profile.RecordPointLatency, profile.RecordPointLatencyJitter, timeProvider, http.RequestAborted);
        var path = http.Request.Path.Value ?? string.Empty;
        if (!path.StartsWith(RecordPointApi.Prefix, StringComparison.OrdinalIgnoreCase) || !HttpMethods.IsPost(http.Request.Method))
        {
            return true;
        }

        var now = timeProvider.GetUtcNow();
        DateTimeOffset until;
        lock (gate)
        {
            if (now < throttledUntil)
            {
                // A call that did not wait as told: counted (unless it was already on its way), and throttled again.
                injected.Record(now > throttledAt + InFlightGrace ? "early call while throttled" : "in flight while throttled");
            }
            else if (every.Hit(profile.RecordPointThrottleEvery, "*429"))
            {
                throttledAt = now;
                throttledUntil = now + profile.RecordPointWait;
                injected.Record("429");
            }
            else
            {
                throttledUntil = default;
            }

            until = throttledUntil;
        }

        if (now < until)
        {
            await SimulatorHost.DrainAsync(http);
            http.Response.Headers["wait-until-time"] = until.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
            await RecordPointApi.WriteErrorAsync(http, 429, "TooManyRequests", "Too many requests: wait until wait-until-time.");
            return false;
        }

        if (every.Hit(profile.RecordPointUnavailableEvery, "*503"))
        {
            injected.Record("503");
            await SimulatorHost.DrainAsync(http);
            await RecordPointApi.WriteErrorAsync(http, 503, "ServiceUnavailable", "Injected 503.");
            return false;
        }

        if (path.EndsWith("/Binaries/GetSASToken", StringComparison.OrdinalIgnoreCase) && await DeferAsync(http))
        {
            injected.Record("412");
            await SimulatorHost.DrainAsync(http);
            await RecordPointApi.WriteErrorAsync(http, 412, "ItemNotProcessed", "The item of this binary is not processed yet.");
            return false;
        }

        return true;
    }

    /// <summary>Every Nth distinct binary is deferred once (its first GetSASToken), so that its retry goes through.</summary>
    private async Task<bool> DeferAsync(HttpContext http)
    {
        if (profile.RecordPointDeferEvery <= 0)
        {
            return false;
        }

        http.Request.EnableBuffering();
        string? binaryId;
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
            binaryId = body.RootElement.TryGetProperty("binaryExternalId", out var id) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            binaryId = null;
        }
        finally
        {
            http.Request.Body.Position = 0;
        }

        lock (gate)
        {
            return binaryId is not null && seenBinaries.Add(binaryId) && seenBinaries.Count % profile.RecordPointDeferEvery == 0;
        }
    }
}
