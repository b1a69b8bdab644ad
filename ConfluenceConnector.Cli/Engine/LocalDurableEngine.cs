using System.Net;
using ConfluenceConnector.Core.Sync;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConfluenceConnector.Cli.Engine;

/// <summary>Concurrency limits of the local engine.</summary>
public sealed record EngineLimits(int MaxOrchestrations = 32, int MaxActivities = 32);

/// <summary>
/// The Durable Task engine in process: DurableTask.Core's in-memory backend behind the gRPC sidecar
/// (TaskHubGrpcServer) on 127.0.0.1 with an OS-chosen port. Workers and clients of the Durable Task SDK connect to
/// <see cref="Channel"/>, exactly as the Functions host's workers connect to theirs.
/// </summary>
public sealed class LocalDurableEngine : IAsyncDisposable
{
    private readonly WebApplication sidecar;

    private LocalDurableEngine(WebApplication sidecar, GrpcChannel channel)
    {
        this.sidecar = sidecar;
        Channel = channel;
    }

    /// <summary>The gRPC channel to the sidecar.</summary>
    public GrpcChannel Channel { get; }

    public static async Task<LocalDurableEngine> StartAsync(EngineLimits limits, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var backend = new ConcurrencyOrchestrationService<InMemoryOrchestrationService>(
            new InMemoryOrchestrationService(loggerFactory), limits.MaxOrchestrations, limits.MaxActivities);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(backend);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(backend);
        builder.Services.AddOptions<TaskHubGrpcServerOptions>();
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalDurableEngine(app, GrpcChannel.ForAddress(address));
    }

    /// <summary>Registers a Durable Task worker running the connector's orchestrations and activities, and a client.</summary>
    public void AddWorkerAndClient(IServiceCollection services, EngineLimits limits)
    {
        services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(Channel);
            worker.AddTasks(registry => registry.AddSyncTasks());
            worker.Configure(o =>
            {
                o.Concurrency.MaximumConcurrentOrchestrationWorkItems = limits.MaxOrchestrations;
                o.Concurrency.MaximumConcurrentActivityWorkItems = limits.MaxActivities;
            });
        });
        services.AddDurableTaskClient(client => client.UseGrpc(Channel));
    }

    public async ValueTask DisposeAsync()
    {
        await Channel.ShutdownAsync().ConfigureAwait(false);
        Channel.Dispose();
        await sidecar.StopAsync().ConfigureAwait(false);
        await sidecar.DisposeAsync().ConfigureAwait(false);
    }
}
