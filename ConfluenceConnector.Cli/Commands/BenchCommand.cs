using System.Globalization;
using ConfluenceConnector.Cli.Benchmark;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Sync;
using Microsoft.Extensions.Configuration;

namespace ConfluenceConnector.Cli.Commands;

/// <summary>
/// <c>bench</c>: a full sync of a generated site through both simulators (<see cref="BenchmarkRunner"/>), measured;
/// prints the markdown table and writes it with the JSON report into <c>--out</c>.
/// </summary>
public static class BenchCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        BenchmarkOptions options;
        IConfiguration settings;
        try
        {
            (options, settings) = BenchmarkOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync(e.Message);
            return CliApp.ExitInvalidSettings;
        }

        await output.WriteLineAsync($"Benchmark: {options.Pages:N0} pages over {options.Spaces} spaces, profile {options.Profile.ToString().ToLowerInvariant()}.");
        BenchmarkReport report;
        try
        {
            report = await BenchmarkRunner.RunAsync(options, settings, output, cancellationToken);
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

        var markdown = report.ToMarkdown();
        await output.WriteLineAsync();
        await output.WriteLineAsync(markdown);
        Directory.CreateDirectory(options.Out);
        var name = string.Create(CultureInfo.InvariantCulture, $"bench-{report.Profile}-{options.Pages}-{report.StartedAt:yyyyMMdd-HHmmss}");
        var json = Path.Combine(options.Out, name + ".json");
        await File.WriteAllTextAsync(json, report.ToJson(), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(options.Out, name + ".md"), $"# Benchmark {name}\n\n{markdown}", cancellationToken);
        await output.WriteLineAsync($"Report: {Path.GetFullPath(json)} (and .md)");
        return report.Outcome == nameof(SyncOutcome.Completed) ? CliApp.ExitOk : CliApp.ExitFailures;
    }
}
