using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;

namespace ConfluenceConnector.Simulators.Common;

/// <summary>Builds and starts a Kestrel host on 127.0.0.1 (port 0 = OS-chosen) with counting and fault-injection middleware.</summary>
internal static class SimulatorHost
{
    /// <summary>The simulators' own inspection routes (<c>/_sim/...</c>): not traffic of the system under test, so not counted.</summary>
    public const string InspectionPrefix = "/_sim";

    public static async Task<(WebApplication App, Uri BaseUrl)> StartAsync(
        int? port,
        RequestCounters counters,
        FaultInjector faults,
        Func<HttpContext, FaultInjector.FaultRule, Task> writeFault,
        Func<HttpContext, Task<bool>>? authorize,
        Action<WebApplication> mapEndpoints,
        CancellationToken ct,
        Action<WebApplication>? beforeRouting = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(SimulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // In process (tests, CLI) the host must not pick up whatever appsettings.json / ASPNETCORE_URLS the caller has.
        builder.Configuration.Sources.Clear();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddSingleton<IHostLifetime, NoopHostLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, port ?? 0);
            o.AddServerHeader = false;
            o.Limits.MaxRequestBodySize = null;
        });

        var app = builder.Build();
        beforeRouting?.Invoke(app);
        app.UseRouting();
        app.Use(async (http, next) =>
        {
            if (!http.Request.Path.StartsWithSegments(InspectionPrefix))
            {
                counters.Record(RouteKey(http));
            }

            var fault = faults.TryTake(http.Request);
            if (fault is not null)
            {
                await DrainAsync(http);
                http.Response.StatusCode = fault.StatusCode;
                if (fault.Headers is not null)
                {
                    foreach (var (k, v) in fault.Headers)
                    {
                        http.Response.Headers[k] = v;
                    }
                }

                await writeFault(http, fault);
                return;
            }

            if (authorize is not null && !await authorize(http))
            {
                return;
            }

            await next(http);
        });
        mapEndpoints(app);

        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel did not report its bound address.");
        return (app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>The counters' key of a request: "METHOD /route/{template}".</summary>
    public static string RouteKey(HttpContext http)
    {
        var template = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "<unmatched>";
        return http.Request.Method + " " + (template.StartsWith('/') ? template : "/" + template);
    }

    public static async Task StopAsync(WebApplication app)
    {
        try
        {
            await app.StopAsync();
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>Reads and discards what is left of a request body, so that an early answer never resets the connection.</summary>
    public static async Task DrainAsync(HttpContext http)
    {
        var buffer = new byte[81920];
        try
        {
            while (await http.Request.Body.ReadAsync(buffer, http.RequestAborted) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException)
        {
        }
    }

    /// <summary>Hosts started in process must not hook Ctrl+C/SIGTERM; the runner handles that itself.</summary>
    private sealed class NoopHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
