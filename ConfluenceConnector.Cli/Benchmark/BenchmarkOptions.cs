using ConfluenceConnector.Simulators.Bench;
using Microsoft.Extensions.Configuration;

namespace ConfluenceConnector.Cli.Benchmark;

/// <summary>Options of <c>bench</c>: <c>--pages</c>, <c>--spaces</c>, <c>--profile</c>, <c>--out</c>.</summary>
public sealed class BenchmarkOptions
{
    public int Pages { get; set; } = 100_000;

    public int Spaces { get; set; } = 50;

    public BenchmarkProfile Profile { get; set; } = BenchmarkProfile.Latency;

    public string Out { get; set; } = "bench-results";

    /// <summary>Seed of the generated site.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>
    /// Reads the options (<c>--pages N</c> or <c>--pages=N</c>, ...) and the connector's settings (<c>--Section:Key=value</c>)
    /// from <paramref name="args"/>; throws ArgumentException when an option is not valid.
    /// </summary>
    public static (BenchmarkOptions Options, IConfiguration Settings) Parse(string[] args)
    {
        var switches = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["--pages"] = "Bench:Pages",
            ["--spaces"] = "Bench:Spaces",
            ["--profile"] = "Bench:Profile",
            ["--out"] = "Bench:Out",
            ["--seed"] = "Bench:Seed",
        };
        var settings = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args, switches).Build();
        var options = new BenchmarkOptions();
        try
        {
            settings.GetSection("Bench").Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"{e.Message} (--pages and --spaces are whole numbers, --profile is latency, quota or zero).", nameof(args), e);
        }

        if (options.Spaces < 1 || options.Pages < options.Spaces)
        {
            throw new ArgumentException($"--spaces {options.Spaces} and --pages {options.Pages}: at least one space and at least one page per space.", nameof(args));
        }

        if (string.IsNullOrWhiteSpace(options.Out))
        {
            throw new ArgumentException("--out needs a folder.", nameof(args));
        }

        return (options, settings);
    }
}
