using ConfluenceConnector.Cli.Engine;
using ConfluenceConnector.Cli.Reporting;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Operations;
using ConfluenceConnector.Core.Sync;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Cli.Commands;

/// <summary>
/// <c>status</c>: reads the full sync from the task hub of a durable engine (<c>Engine:Backend=AzureStorage</c>)
/// without running any of its work, and prints its state, progress and, once ended, its summary.
/// </summary>
public static class StatusCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        LocalConnectorHost host;
        try
        {
            if (LocalConnectorHost.ReadEngineOptions(configuration).Backend == EngineBackend.Memory)
            {
                await error.WriteLineAsync("The in-memory engine keeps no state between runs: status reads a task hub, set --Engine:Backend=AzureStorage --Engine:StorageConnectionString=... (and --Engine:TaskHub=... when not the default).");
                return CliApp.ExitInvalidSettings;
            }

            host = await LocalConnectorHost.StartClientAsync(configuration, cancellationToken);
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
            report.Engine(host.Services.GetRequiredService<IOptions<EngineOptions>>().Value);
            var sync = await SyncReportReader.ReadAsync(host.Client, SyncStarter.FullSyncInstanceId, includeSpaces: true, cancellationToken);
            if (sync is null)
            {
                await output.WriteLineAsync($"No full sync on this task hub yet ({SyncStarter.FullSyncInstanceId}).");
                return CliApp.ExitOk;
            }

            report.Status(sync);
            report.Outlook(SyncStatus.From(sync, TimeProvider.System.GetUtcNow()));
            return sync.RuntimeStatus == OrchestrationRuntimeStatus.Failed || sync.Result is { Outcome: not SyncOutcome.Completed } ? CliApp.ExitFailures : CliApp.ExitOk;
        }
    }
}
