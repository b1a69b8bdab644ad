using ConfluenceConnector.Core;
using ConfluenceConnector.Core.Sync;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConfluenceConnector.Cli.Engine;

/// <summary>
/// The connector hosted locally: its services (the same registrations as the Functions app) and a Durable Task
/// worker and client on the in-process engine. Starting it validates every setting.
/// </summary>
public sealed class LocalConnectorHost : IAsyncDisposable
{
    private readonly LocalDurableEngine engine;

    private LocalConnectorHost(LocalDurableEngine engine, IHost host)
    {
        this.engine = engine;
        Host = host;
    }

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public DurableTaskClient Client => Host.Services.GetRequiredService<DurableTaskClient>();

    /// <summary>Starts the engine and the host. Throws OptionsValidationException when a setting is missing or malformed.</summary>
    public static async Task<LocalConnectorHost> StartAsync(IConfiguration configuration, Action<IServiceCollection>? configureServices, CancellationToken cancellationToken)
    {
        var limits = new EngineLimits(
            configuration.GetValue("Engine:MaxOrchestrations", new EngineLimits().MaxOrchestrations),
            configuration.GetValue("Engine:MaxActivities", new EngineLimits().MaxActivities));

        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddConfluenceConnector(builder.Configuration);
        configureServices?.Invoke(builder.Services);

        var engine = await LocalDurableEngine.StartAsync(limits, CreateEngineLoggerFactory(configuration), cancellationToken).ConfigureAwait(false);
        engine.AddWorkerAndClient(builder.Services, limits);
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            host.Dispose();
            await engine.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new LocalConnectorHost(engine, host);
    }

    /// <summary>Starts a full sync and waits for it to end; <paramref name="onProgress"/> sees its live progress about once a second.</summary>
    public async Task<SyncReport> RunFullSyncAsync(Action<LiveProgress>? onProgress, CancellationToken cancellationToken)
    {
        var start = await Services.GetRequiredService<SyncStarter>().StartFullSyncAsync(Client, cancellationToken).ConfigureAwait(false);
        if (!start.Started)
        {
            throw new InvalidOperationException($"A full sync is already {start.RunningStatus} as {start.InstanceId}; not starting another.");
        }

        var completion = Client.WaitForInstanceCompletionAsync(start.InstanceId, getInputsAndOutputs: false, cancellationToken);
        using (var ticker = new PeriodicTimer(TimeSpan.FromSeconds(1)))
        {
            while (!completion.IsCompleted)
            {
                await Task.WhenAny(completion, ticker.WaitForNextTickAsync(cancellationToken).AsTask()).ConfigureAwait(false);
                if (onProgress is not null && await SyncReportReader.ReadProgressAsync(Client, start.InstanceId, cancellationToken).ConfigureAwait(false) is { } progress)
                {
                    onProgress(progress);
                }
            }
        }

        await completion.ConfigureAwait(false);
        return (await SyncReportReader.ReadAsync(Client, start.InstanceId, includeSpaces: true, cancellationToken).ConfigureAwait(false))!;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        Host.Dispose();
        await engine.DisposeAsync().ConfigureAwait(false);
    }

    private static ILoggerFactory CreateEngineLoggerFactory(IConfiguration configuration) =>
        LoggerFactory.Create(l => l
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddSimpleConsole(o => o.SingleLine = true)
            .SetMinimumLevel(LogLevel.Warning));
}
