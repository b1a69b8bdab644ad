using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConfluenceConnector.Tests.Support;

/// <summary>
/// A loopback HTTP proxy in front of a simulator that counts the requests passing through it: give each runner
/// process its own proxy to the same simulator and the counts show which runner did work.
/// </summary>
internal sealed class CountingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase) { "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Host" };
    private readonly WebApplication app;
    private readonly HttpClient client;
    private long requests;

    private CountingProxy(WebApplication app, HttpClient client)
    {
        this.app = app;
        this.client = client;
        BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
    }

    public Uri BaseUrl { get; }

    public long Requests => Interlocked.Read(ref requests);

    public static async Task<CountingProxy> StartAsync(Uri target)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var client = new HttpClient { BaseAddress = target };
        CountingProxy? proxy = null;
        app.Run(async context =>
        {
            Interlocked.Increment(ref proxy!.requests);
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path + context.Request.QueryString);
            if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            {
                var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                body.Position = 0;
                request.Content = new StreamContent(body);
            }

            foreach (var header in context.Request.Headers.Where(h => !HopByHop.Contains(h.Key)))
            {
                if (!request.Headers.TryAddWithoutValidation(header.Key, [.. header.Value]))
                {
                    request.Content?.Headers.TryAddWithoutValidation(header.Key, [.. header.Value]);
                }
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers).Where(h => !HopByHop.Contains(h.Key)))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }

            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        });
        await app.StartAsync();
        proxy = new CountingProxy(app, client);
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        client.Dispose();
    }
}
