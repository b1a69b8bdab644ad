using System.Net;
using ConfluenceConnector.Cli.Engine.AzureStorage;
using ConfluenceConnector.Core.Sync;
using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Query;
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

/// <summary>
/// The Durable Task engine in process: a DurableTask.Core backend (in memory, or Azure Storage as under Durable
/// Functions: see <see cref="EngineOptions.Backend"/>) behind the gRPC sidecar (TaskHubGrpcServer) on 127.0.0.1 with
/// an OS-chosen port. Workers and clients of the Durable Task SDK connect to <see cref="Channel"/>, exactly as the
/// Functions host's workers connect to theirs.
/// </summary>
public sealed class LocalDurableEngine : IAsyncDisposable
{
    private readonly WebApplication sidecar;

    private LocalDurableEngine(WebApplication sidecar, GrpcChannel channel, HistoryStatistics history)
    {
        this.sidecar = sidecar;
        Channel = channel;
        History = history;
    }

    /// <summary>The gRPC channel to the sidecar.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>The largest orchestration history this engine has held (events per execution).</summary>
    public HistoryStatistics History { get; }

    /// <summary>
    /// Starts the sidecar over the configured backend. With <paramref name="dispatch"/> false it only serves clients
    /// (reads and starts), and runs no orchestration or activity itself.
    /// </summary>
    public static async Task<LocalDurableEngine> StartAsync(EngineOptions options, ILoggerFactory loggerFactory, bool dispatch, CancellationToken cancellationToken)
    {
        var history = new HistoryStatistics();
        IOrchestrationService backend = options.Backend switch
        {
            EngineBackend.AzureStorage => Measured(history, new ConcurrencyOrchestrationService<SubOrchestrationEventRewriter<AzureStorageOrchestrationService>>(
                await AzureStorageBackend.CreateAsync(options, loggerFactory).WaitAsync(cancellationToken).ConfigureAwait(false), options.MaxOrchestrations, options.MaxActivities)),
            _ => Measured(history, new ConcurrencyOrchestrationService<InMemoryOrchestrationService>(
                new InMemoryOrchestrationService(loggerFactory), options.MaxOrchestrations, options.MaxActivities)),
        };

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(backend);
        builder.Services.AddSingleton((IOrchestrationServiceClient)backend);
        builder.Services.AddOptions<TaskHubGrpcServerOptions>().Configure(o =>
            o.Mode = dispatch ? TaskHubGrpcServerMode.ApiServerAndDispatcher : TaskHubGrpcServerMode.ApiServerOnly);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LocalDurableEngine(app, GrpcChannel.ForAddress(address), history);
    }

    private static HistoryMeasuringOrchestrationService<TInner> Measured<TInner>(HistoryStatistics history, TInner inner)
        where TInner : IOrchestrationService, IOrchestrationServiceClient, IOrchestrationServiceQueryClient, IOrchestrationServicePurgeClient =>
        new(inner, history);

    /// <summary>Registers a Durable Task client only.</summary>
    public void AddClient(IServiceCollection services) => services.AddDurableTaskClient(client => client.UseGrpc(Channel));

    /// <summary>Registers a Durable Task worker running the connector's orchestrations and activities, and a client.</summary>
    public void AddWorkerAndClient(IServiceCollection services, EngineOptions limits)
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
