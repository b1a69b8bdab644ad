using System.Diagnostics;
using ConfluenceConnector.Cli.Demo;
using ConfluenceConnector.Cli.Engine;
using ConfluenceConnector.Cli.Reporting;
using ConfluenceConnector.Core;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Sync;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Cli.Commands;

/// <summary>
/// <c>sync</c>: hosts the connector's orchestrations and activities on the in-process Durable Task engine, runs one
/// full sync, shows progress while it runs and a summary per space at the end.
/// </summary>
public static class SyncCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var given = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        await using var demo = await DemoEnvironment.StartAsync(given, cancellationToken);
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(given)
            .AddInMemoryCollection(demo.Settings)
            .Build();

        var limits = new EngineLimits(
            configuration.GetValue("Engine:MaxOrchestrations", new EngineLimits().MaxOrchestrations),
            configuration.GetValue("Engine:MaxActivities", new EngineLimits().MaxActivities));

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddConfluenceConnector(builder.Configuration);

        using var loggerFactory = LoggerFactory.Create(l => l.AddConfiguration(configuration.GetSection("Logging")).AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        await using var engine = await LocalDurableEngine.StartAsync(limits, loggerFactory, cancellationToken);
        engine.AddWorkerAndClient(builder.Services, limits);

        using var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (OptionsValidationException e)
        {
            await error.WriteLineAsync("The settings are not valid:");
            foreach (var failure in e.Failures)
            {
                await error.WriteLineAsync($"  - {failure}");
            }

            return CliApp.ExitInvalidSettings;
        }

        var report = new ConsoleReport(output);
        report.Endpoints(
            host.Services.GetRequiredService<IOptions<ConfluenceOptions>>().Value,
            host.Services.GetRequiredService<IOptions<RecordPointOptions>>().Value,
            demo);

        var client = host.Services.GetRequiredService<DurableTaskClient>();
        var start = await host.Services.GetRequiredService<SyncStarter>().StartFullSyncAsync(client, cancellationToken);
        if (!start.Started)
        {
            await error.WriteLineAsync($"A full sync is already {start.RunningStatus} as {start.InstanceId}; not starting another.");
            return CliApp.ExitFailures;
        }

        var stopwatch = Stopwatch.StartNew();
        var completion = client.WaitForInstanceCompletionAsync(start.InstanceId, getInputsAndOutputs: true, cancellationToken);
        using (var ticker = new PeriodicTimer(TimeSpan.FromSeconds(1)))
        {
            while (!completion.IsCompleted)
            {
                await Task.WhenAny(completion, ticker.WaitForNextTickAsync(cancellationToken).AsTask());
                var running = await client.GetInstanceAsync(start.InstanceId, getInputsAndOutputs: false, cancellationToken);
                if (running?.SerializedCustomStatus is not null)
                {
                    report.Progress(stopwatch.Elapsed, running.ReadCustomStatusAs<FullSyncProgress>());
                }
            }
        }

        await completion;
        var result = await SyncReportReader.ReadAsync(client, start.InstanceId, includeSpaces: true, cancellationToken);
        report.Summary(result!, stopwatch.Elapsed);
        await host.StopAsync(CancellationToken.None);
        return result?.Result?.Outcome == SyncOutcome.Completed ? CliApp.ExitOk : CliApp.ExitFailures;
    }
}
