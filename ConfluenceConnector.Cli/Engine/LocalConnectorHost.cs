using ConfluenceConnector.Core;
using ConfluenceConnector.Core.Sync;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Cli.Engine;

/// <summary>
/// The connector hosted locally: its services (the same registrations as the Functions app) and a Durable Task
/// worker and client on the in-process engine (<see cref="EngineOptions"/>: in memory, or on Azure Storage, where a
/// sync outlives the runner). Starting it validates every setting.
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

    /// <summary>The largest orchestration history the engine has held (events per execution).</summary>
    public HistoryStatistics History => engine.History;

    /// <summary>Starts the engine and the host. Throws OptionsValidationException when a setting is missing or malformed.</summary>
    public static Task<LocalConnectorHost> StartAsync(IConfiguration configuration, Action<IServiceCollection>? configureServices, CancellationToken cancellationToken) =>
        StartAsync(configuration, configureServices, worker: true, cancellationToken);

    /// <summary>
    /// Starts a client of the configured engine only: it reads and starts orchestrations but runs none, and needs no
    /// Confluence or RecordPoint settings (for <c>status</c>).
    /// </summary>
    public static Task<LocalConnectorHost> StartClientAsync(IConfiguration configuration, CancellationToken cancellationToken) =>
        StartAsync(configuration, configureServices: null, worker: false, cancellationToken);

    /// <summary>The engine settings, validated. Throws OptionsValidationException when one is missing or malformed.</summary>
    public static EngineOptions ReadEngineOptions(IConfiguration configuration)
    {
        var options = new EngineOptions();
        try
        {
            configuration.GetSection(EngineOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsValidationException(EngineOptions.SectionName, typeof(EngineOptions), [$"{e.Message} (Engine:Backend is Memory or AzureStorage; Engine:WorkItemVisibilityTimeout a time span such as 00:05:00)."]);
        }

        var result = new EngineOptionsValidator().Validate(null, options);
        return result.Failed
            ? throw new OptionsValidationException(EngineOptions.SectionName, typeof(EngineOptions), result.Failures)
            : options;
    }

    private static async Task<LocalConnectorHost> StartAsync(IConfiguration configuration, Action<IServiceCollection>? configureServices, bool worker, CancellationToken cancellationToken)
    {
        var engineOptions = ReadEngineOptions(configuration);

        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(Options.Create(engineOptions));
        if (worker)
        {
            builder.Services.AddConfluenceConnector(builder.Configuration);
        }

        configureServices?.Invoke(builder.Services);

        var engine = await LocalDurableEngine.StartAsync(engineOptions, CreateEngineLoggerFactory(configuration), dispatch: worker, cancellationToken).ConfigureAwait(false);
        if (worker)
        {
            engine.AddWorkerAndClient(builder.Services, engineOptions);
        }
        else
        {
            engine.AddClient(builder.Services);
        }

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
    public async Task<SyncReport> RunFullSyncAsync(Action<SyncReport>? onProgress, CancellationToken cancellationToken)
    {
        var start = await StartOrAttachAsync(cancellationToken).ConfigureAwait(false);
        return await WaitForSyncAsync(start.InstanceId, onProgress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a full sync, or finds the one already Pending or Running on the task hub (a run that an earlier,
    /// interrupted runner or another runner started): its result says which. A Suspended run is not attached to.
    /// </summary>
    public async Task<SyncStartResult> StartOrAttachAsync(CancellationToken cancellationToken)
    {
        var start = await Services.GetRequiredService<SyncStarter>().StartFullSyncAsync(Client, cancellationToken).ConfigureAwait(false);
        if (!start.Started && start.RunningStatus == OrchestrationRuntimeStatus.Suspended)
        {
            throw new InvalidOperationException($"The full sync {start.InstanceId} is Suspended on this task hub; resume or terminate it before syncing again.");
        }

        return start;
    }

    /// <summary>Waits for the full sync <paramref name="instanceId"/> to end; <paramref name="onProgress"/> sees its live progress about once a second.</summary>
    public async Task<SyncReport> WaitForSyncAsync(string instanceId, Action<SyncReport>? onProgress, CancellationToken cancellationToken)
    {
        var completion = Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        using (var ticker = new PeriodicTimer(TimeSpan.FromSeconds(1)))
        {
            while (!completion.IsCompleted)
            {
                await Task.WhenAny(completion, ticker.WaitForNextTickAsync(cancellationToken).AsTask()).ConfigureAwait(false);
                if (onProgress is not null && await SyncReportReader.ReadAsync(Client, instanceId, includeSpaces: true, cancellationToken).ConfigureAwait(false) is { } progress)
                {
                    onProgress(progress);
                }
            }
        }

        await completion.ConfigureAwait(false);
        return (await SyncReportReader.ReadAsync(Client, instanceId, includeSpaces: true, cancellationToken).ConfigureAwait(false))!;
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
