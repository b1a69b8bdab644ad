using System.Diagnostics;
using ConfluenceConnector.Cli.Demo;
using ConfluenceConnector.Cli.Engine;
using ConfluenceConnector.Cli.Reporting;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Cli.Commands;

/// <summary>
/// <c>sync</c>: hosts the connector's orchestrations and activities on the in-process Durable Task engine, runs one
/// full sync, shows progress while it runs and a summary per space at the end. On a durable engine
/// (<c>Engine:Backend=AzureStorage</c>) a sync already Pending or Running on the task hub (interrupted, or run by
/// another runner) is joined and finished instead of started again.
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

        LocalConnectorHost host;
        try
        {
            host = await LocalConnectorHost.StartAsync(configuration, configureServices: null, cancellationToken);
        }
        catch (Exception e) when (SettingsErrors.From(e) is { } failures)
        {
            await error.WriteLineAsync("The settings are not valid:");
            foreach (var failure in failures)
            {
                await error.WriteLineAsync($"  - {failure}");
            }

            return CliApp.ExitInvalidSettings;
        }

        await using (host)
        {
            var report = new ConsoleReport(output);
            report.Endpoints(
                host.Services.GetRequiredService<IOptions<ConfluenceOptions>>().Value,
                host.Services.GetRequiredService<IOptions<RecordPointOptions>>().Value,
                demo);

            var engine = host.Services.GetRequiredService<IOptions<EngineOptions>>().Value;
            report.Engine(engine);
            SyncStartResult start;
            try
            {
                start = await host.StartOrAttachAsync(cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                await error.WriteLineAsync(e.Message);
                return CliApp.ExitFailures;
            }

            report.Start(start);
            var stopwatch = Stopwatch.StartNew();
            var result = await host.WaitForSyncAsync(start.InstanceId, progress => report.Progress(stopwatch.Elapsed, progress), cancellationToken);
            report.Summary(result, stopwatch.Elapsed);
            return result.Result?.Outcome == SyncOutcome.Completed ? CliApp.ExitOk : CliApp.ExitFailures;
        }
    }
}
