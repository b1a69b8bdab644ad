using System.Text;
using ConfluenceConnector.Simulators.Common;
using ConfluenceConnector.Simulators.Confluence.OAuth;

namespace ConfluenceConnector.Simulators.Confluence;

public sealed class ConfluenceSimulatorOptions
{
    public string Email { get; set; } = "sync@example.com";

    public string ApiToken { get; set; } = "sim-api-token";

    public bool RequireAuth { get; set; } = true;

    /// <summary>Null or 0 = OS-chosen port on 127.0.0.1.</summary>
    public int? Port { get; set; }

    /// <summary>Atlassian's OAuth 2.0 (3LO) authorisation server and api.atlassian.com gateway, served by the same host.</summary>
    public AtlassianOAuthSimulatorOptions OAuth { get; set; } = new();

    /// <summary>Faults injected on /wiki requests (the points quota, burst 429s, 503s, drops, malformed bodies, slowness); null = none.</summary>
    public FaultProfile? Faults { get; set; }

    /// <summary>Clock of the points quota's windows.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>A fake Confluence Cloud site (REST v2) on real HTTP. BaseUrl is the site root; the API lives under /wiki/api/v2.</summary>
public sealed class ConfluenceSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FaultInjector _faults;
    private readonly ConfluenceEndpointContext _endpoints;
    private int _disposed;

    private ConfluenceSimulator(WebApplication app, Uri baseUrl, ConfluenceSite site, ConfluenceSimulatorOptions options, RequestCounters requests, FaultInjector faults, PointsCounter points, ConfluenceEndpointContext endpoints)
    {
        Points = points;
        _app = app;
        BaseUrl = baseUrl;
        Site = site;
        Options = options;
        Requests = requests;
        _faults = faults;
        _endpoints = endpoints;
    }

    /// <summary>Site root, e.g. http://127.0.0.1:5123/ (no /wiki).</summary>
    public Uri BaseUrl { get; }

    public ConfluenceSite Site { get; }

    public ConfluenceSimulatorOptions Options { get; }

    public RequestCounters Requests { get; }

    /// <summary>Rate-limit points used, counted as Confluence does: 1 per API request + 1 per object returned.</summary>
    public PointsCounter Points { get; }

    /// <summary>
    /// The simulated Atlassian authorisation server: BaseUrl is both its root (/authorize, /oauth/token) and the
    /// gateway's (/oauth/token/accessible-resources, /me, /ex/confluence/{cloudId}/wiki/...).
    /// </summary>
    public required AtlassianAuthorizationServer AuthorizationServer { get; init; }

    /// <summary>The points quota of <see cref="ConfluenceSimulatorOptions.Faults"/>, when it has one (refusals, windows).</summary>
    public ConfluenceQuota? Quota { get; init; }

    /// <summary>Faults the profile injected, by kind ("503", "drop", "429 burst", ...).</summary>
    public required RequestCounters InjectedFaults { get; init; }

    /// <summary>Value of the Authorization header the simulator accepts: "Basic base64(email:token)".</summary>
    public string BasicAuthorizationHeader => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Options.Email + ":" + Options.ApiToken));

    public static async Task<ConfluenceSimulator> StartAsync(ConfluenceSite site, ConfluenceSimulatorOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(site);
        options ??= new ConfluenceSimulatorOptions();
        var counters = new RequestCounters();
        var faults = new FaultInjector();
        var points = new PointsCounter();
        var ctx = new ConfluenceEndpointContext(site, points);
        var expectedAuth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(options.Email + ":" + options.ApiToken));
        var authServer = new AtlassianAuthorizationServer(options.OAuth, site.SiteName);
        var quota = options.Faults?.Quota is { } spec ? new ConfluenceQuota(spec, points, options.TimeProvider) : null;
        var injected = new RequestCounters();
        var profileFaults = options.Faults is { } profile ? new ConfluenceFaults(profile, injected, options.TimeProvider) : null;

        var (app, baseUrl) = await SimulatorHost.StartAsync(
            options.Port,
            counters,
            faults,
            (http, fault) => ConfluenceJson.WriteAsync(http, ConfluenceJson.Error(fault.StatusCode, null, ConfluenceJson.DefaultTitle(fault.StatusCode)), fault.StatusCode),
            async http =>
            {
                if (http.Request.Path.StartsWithSegments("/wiki"))
                {
                    if (quota is not null && !await quota.AdmitAsync(http, h => ConfluenceJson.WriteAsync(h, ConfluenceJson.Error(429, null, ConfluenceJson.DefaultTitle(429)), 429)))
                    {
                        return false;
                    }

                    points.Request();
                    if (profileFaults is not null && !await profileFaults.PassAsync(http))
                    {
                        return false;
                    }
                }

                if (!options.RequireAuth || !http.Request.Path.StartsWithSegments("/wiki"))
                {
                    return true;
                }

                if (AuthorizationServerEndpoints.IsGatewayRequest(http.Request)
                    ? AuthorizationServerEndpoints.AuthorizeGatewayCall(http.Request, authServer)
                    : string.Equals(http.Request.Headers.Authorization.ToString(), expectedAuth, StringComparison.Ordinal))
                {
                    return true;
                }

                await ConfluenceJson.WriteAsync(http, ConfluenceJson.Error(401, null, "Unauthorized; scope does not match"), 401);
                return false;
            },
            app =>
            {
                SpacesEndpoints.Map(app, ctx);
                AuthorizationServerEndpoints.Map(app, authServer);
                PagesEndpoints.Map(app, ctx);
                BlogPostsEndpoints.Map(app, ctx);
                CommentsEndpoints.Map(app, ctx);
                AttachmentsEndpoints.Map(app, ctx);
                LabelsEndpoints.Map(app, ctx);
                SimStats.MapConfluence(app, site, counters, points, injected, quota);
            },
            ct,
            beforeRouting: app => app.Use((http, next) =>
            {
                AuthorizationServerEndpoints.RewriteGatewayPath(http, authServer);
                return next(http);
            }));
        return new ConfluenceSimulator(app, baseUrl, site, options, counters, faults, points, ctx) { AuthorizationServer = authServer, Quota = quota, InjectedFaults = injected };
    }

    /// <summary>
    /// Answers the next <paramref name="times"/> requests matching <paramref name="match"/> with <paramref name="statusCode"/>
    /// and an Atlassian-style error body instead of the real answer (optional extra response headers, e.g. Retry-After).
    /// </summary>
    public void FailNext(Func<HttpRequest, bool> match, int statusCode, int times = 1, IReadOnlyDictionary<string, string>? headers = null) =>
        _faults.FailNext(match, statusCode, times, headers);

    /// <summary>The next <paramref name="times"/> media downloads send half their bytes, then drop the connection.</summary>
    public void BreakNextMediaDownloads(int times) => _endpoints.BreakMediaDownloads(times);

    /// <summary>Number of injected faults not consumed yet.</summary>
    public int PendingFaults => _faults.Pending;

    public void ClearFaults() => _faults.Clear();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await SimulatorHost.StopAsync(_app);
        }
    }
}
