using System.Globalization;
using ConfluenceConnector.Simulators.Bench;
using ConfluenceConnector.Simulators.Confluence;
using ConfluenceConnector.Simulators.RecordPoint;

namespace ConfluenceConnector.Simulators;

/// <summary>
/// Standalone runner: dotnet run --project ConfluenceConnector.Simulators -- [--confluence-port N] [--recordpoint-port N]
/// [--spaces N] [--pages N (per space)] [--seed N]. Starts both simulators on 127.0.0.1 and runs until Ctrl+C.
/// With <c>bench ...</c> first, serves a benchmark's site for the process that started it (<see cref="BenchServer"/>).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            stop.Cancel();
        });

        if (args.Length > 0 && args[0] == BenchServer.Command)
        {
            try
            {
                await BenchServer.RunAsync(args[1..], stop.Token);
                return 0;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return 2;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return 0;
            }
        }

        int? confluencePort = null;
        int? recordPointPort = null;
        var spec = new SiteSpec();
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                var name = args[i];
                if (name is "-h" or "--help")
                {
                    PrintUsage();
                    return 0;
                }

                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"Missing value for {name}.");
                }

                var value = int.Parse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture);
                switch (name)
                {
                    case "--confluence-port": confluencePort = value; break;
                    case "--recordpoint-port": recordPointPort = value; break;
                    case "--spaces": spec = spec with { Spaces = value }; break;
                    case "--pages": spec = spec with { PagesPerSpace = value }; break;
                    case "--seed": spec = spec with { Seed = value }; break;
                    default: throw new ArgumentException($"Unknown option {name}.");
                }
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine(ex.Message);
            PrintUsage();
            return 2;
        }

        var site = ConfluenceSiteGenerator.Generate(spec);
        var confluenceOptions = new ConfluenceSimulatorOptions { Port = confluencePort };
        await using var confluence = await ConfluenceSimulator.StartAsync(site, confluenceOptions);
        await using var recordPoint = await RecordPointSimulator.StartAsync(new RecordPointSimulatorOptions { Port = recordPointPort });

        Console.WriteLine($"Confluence simulator : {confluence.BaseUrl} (API: {confluence.BaseUrl}wiki/api/v2/)");
        Console.WriteLine($"  site               : {site.Spaces.Count} spaces, {site.Pages.Count} pages (seed {spec.Seed})");
        Console.WriteLine($"  Basic auth         : email={confluenceOptions.Email} token={confluenceOptions.ApiToken}");
        Console.WriteLine($"  Authorization      : {confluence.BasicAuthorizationHeader}");
        Console.WriteLine($"  OAuth 2.0 (3LO)    : client_id={confluenceOptions.OAuth.ClientId} client_secret={confluenceOptions.OAuth.ClientSecret} cloud id={confluenceOptions.OAuth.CloudId}");
        Console.WriteLine($"                       Confluence:AuthorizationServerUrl = Confluence:ApiGatewayUrl = {confluence.BaseUrl} (Confluence:Domain={site.SiteName})");
        Console.WriteLine($"RecordPoint simulator: {recordPoint.BaseUrl} (API: {recordPoint.BaseUrl}connector/api/, any bearer token)");
        Console.WriteLine($"  inspect            : {recordPoint.BaseUrl}_sim/aggregations | _sim/items | _sim/binaries | _sim/stats");
        Console.WriteLine($"Confluence counters  : {confluence.BaseUrl}_sim/stats[?listing=SiteWide|PerContent]");
        Console.WriteLine("Press Ctrl+C to stop.");

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        Console.WriteLine("Stopping.");
        return 0;
    }

    private static void PrintUsage() => Console.WriteLine(
        "Usage: ConfluenceConnector.Simulators [--confluence-port N] [--recordpoint-port N] [--spaces N] [--pages N-per-space] [--seed N]\n"
        + "       ConfluenceConnector.Simulators bench --pages N --spaces N --seed N --profile latency|quota|zero   (for the CLI's bench: ends with its stdin)");
}
