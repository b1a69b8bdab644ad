using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ConfluenceConnector.Simulators.Common;
using ConfluenceConnector.Simulators.Confluence;
using ConfluenceConnector.Simulators.RecordPoint;

namespace ConfluenceConnector.Simulators.Bench;

/// <summary>
/// <c>ConfluenceConnector.Simulators bench --pages N --spaces N --seed N --profile latency|quota|zero</c>: serves a
/// <c>bench</c> run's site (<see cref="BenchSetup"/>) with both simulators on OS-chosen ports, for the process that
/// started it. Once both listen it writes one line to stdout, <see cref="ReadyPrefix"/> and a <see cref="BenchReady"/>
/// as JSON; it then runs until its stdin ends (its parent closed it, or died), SIGTERM or Ctrl+C.
/// </summary>
public static class BenchServer
{
    /// <summary>The program's first argument that selects this mode.</summary>
    public const string Command = "bench";

    /// <summary>The start of the line that announces the simulators; the rest of the line is a <see cref="BenchReady"/> as JSON.</summary>
    public const string ReadyPrefix = "SIMULATORS-READY ";

    /// <summary>The program's arguments for a run of <paramref name="pages"/> pages over <paramref name="spaces"/> spaces.</summary>
    public static IReadOnlyList<string> Arguments(int pages, int spaces, int seed, BenchmarkProfile profile) =>
    [
        Command,
        "--pages", pages.ToString(CultureInfo.InvariantCulture),
        "--spaces", spaces.ToString(CultureInfo.InvariantCulture),
        "--seed", seed.ToString(CultureInfo.InvariantCulture),
        "--profile", profile.ToString().ToLowerInvariant(),
    ];

    /// <summary>Serves until stdin ends or <paramref name="stop"/>; <paramref name="args"/> are those after <see cref="Command"/>.</summary>
    internal static async Task RunAsync(IReadOnlyList<string> args, CancellationToken stop)
    {
        var (pages, spaces, seed, profile) = Parse(args);
        var inputEnded = Task.Run(InputEndedAsync, CancellationToken.None);
        var generation = Stopwatch.StartNew();
        var site = ConfluenceSiteGenerator.Generate(BenchSetup.Site(pages, spaces, seed));
        generation.Stop();
        if (inputEnded.IsCompleted)
        {
            // The parent left while the site was generated.
            return;
        }

        var faults = BenchSetup.Faults(profile);
        var confluenceOptions = new ConfluenceSimulatorOptions { Faults = faults };
        await using var confluence = await ConfluenceSimulator.StartAsync(site, confluenceOptions, stop);
        await using var recordPoint = await RecordPointSimulator.StartAsync(new RecordPointSimulatorOptions { Faults = faults, KeepBinaryContent = false }, stop);
        var ready = new BenchReady
        {
            ConfluenceUrl = confluence.BaseUrl,
            RecordPointUrl = recordPoint.BaseUrl,
            SiteName = site.SiteName,
            Email = confluenceOptions.Email,
            ApiToken = confluenceOptions.ApiToken,
            SiteGenerationSeconds = generation.Elapsed.TotalSeconds,
        };
        await Console.Out.WriteLineAsync(ReadyPrefix + JsonSerializer.Serialize(ready, SimStats.Json));
        await Console.Out.FlushAsync(stop);

        await Task.WhenAny(inputEnded, Task.Delay(Timeout.Infinite, stop));
    }

    /// <summary>Reads stdin to its end: the parent closed it, or its process ended.</summary>
    private static async Task InputEndedAsync()
    {
        await using var input = Console.OpenStandardInput();
        var buffer = new byte[64];
        while (await input.ReadAsync(buffer) > 0)
        {
        }
    }

    private static (int Pages, int Spaces, int Seed, BenchmarkProfile Profile) Parse(IReadOnlyList<string> args)
    {
        int? pages = null;
        int? spaces = null;
        int? seed = null;
        BenchmarkProfile? profile = null;
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"Missing value for {args[i]}.");
            }

            var value = args[i + 1];
            switch (args[i])
            {
                case "--pages": pages = int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture); break;
                case "--spaces": spaces = int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture); break;
                case "--profile":
                    profile = Enum.TryParse<BenchmarkProfile>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                        ? parsed
                        : throw new ArgumentException($"Unknown profile {value}: latency, quota or zero.");
                    break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        return (
            pages ?? throw new ArgumentException("--pages is required."),
            spaces ?? throw new ArgumentException("--spaces is required."),
            seed ?? throw new ArgumentException("--seed is required."),
            profile ?? throw new ArgumentException("--profile is required."));
    }
}

/// <summary>What <see cref="BenchServer"/> announces once both simulators listen: where they are and how to sign in to Confluence.</summary>
public sealed record BenchReady
{
    /// <summary>The Confluence simulator's site root.</summary>
    public required Uri ConfluenceUrl { get; init; }

    /// <summary>The RecordPoint simulator's root.</summary>
    public required Uri RecordPointUrl { get; init; }

    /// <summary>The site's name (the connector's Confluence:Domain).</summary>
    public required string SiteName { get; init; }

    /// <summary>API-token (Basic) sign-in: the email.</summary>
    public required string Email { get; init; }

    /// <summary>API-token (Basic) sign-in: the token.</summary>
    public required string ApiToken { get; init; }

    /// <summary>How long the site's generation took, before the simulators started.</summary>
    public required double SiteGenerationSeconds { get; init; }
}
