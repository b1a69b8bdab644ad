namespace ConfluenceConnector.Cli.Commands;

/// <summary>The local runner's command line: <c>sync</c>, <c>status</c>, <c>authorize</c>, <c>bench</c> (and <c>help</c>). Settings follow as <c>--Section:Key=value</c>.</summary>
public static class CliApp
{
    public const int ExitOk = 0;
    public const int ExitFailures = 1;
    public const int ExitInvalidSettings = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "help";
        var settings = args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;
        switch (command)
        {
            case "sync":
                return await UntilCtrlCAsync(token => SyncCommand.RunAsync(settings, output, error, token), cancellationToken);

            case "bench":
                return await UntilCtrlCAsync(token => BenchCommand.RunAsync(settings, output, error, token), cancellationToken);

            case "authorize":
                return await AuthorizeCommand.RunAsync(settings, output, error, cancellationToken);

            case "status":
                return await StatusCommand.RunAsync(settings, output, error, cancellationToken);

            case "help" or "--help" or "-h":
                await output.WriteLineAsync(Usage);
                return ExitOk;

            default:
                await error.WriteLineAsync($"Unknown command '{command}'.\n\n{Usage}");
                return ExitInvalidSettings;
        }
    }

    /// <summary>Runs a long command whose token Ctrl+C cancels (so that it stops cleanly and still prints what it has).</summary>
    private static async Task<int> UntilCtrlCAsync(Func<CancellationToken, Task<int>> command, CancellationToken cancellationToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        try
        {
            return await command(cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
    }

    private const string Usage = """
        Confluence Cloud -> RecordPoint connector, local runner.

        Usage: confluence-connector sync|status|authorize|bench [--Section:Key=value ...]

          sync    Run a full sync on the Durable Task engine in process and print a summary per space.
                  With no Confluence settings (Confluence:Domain / Confluence:BaseUrl) it starts the Confluence
                  simulator with a seeded demo site; with no RecordPoint:ApiUrl it starts the RecordPoint simulator.
                  Demo size: --Demo:Spaces=N --Demo:PagesPerSpace=N --Demo:Seed=N.
                  Demo faults: --Demo:FaultProfile=quota|burst|flaky|slow|recordpoint (the simulators' rate limits
                  and transient failures; quota is 2,000 points per 10-second window).
                  Engine: --Engine:Backend=Memory (default; state ends with the process) or AzureStorage with
                  --Engine:StorageConnectionString=... (Azurite or an account) and --Engine:TaskHub=NAME: a sync then
                  survives a crash, `sync` again resumes the interrupted run, and several runners share one run.

          status  Reads the full sync from the task hub (Engine:Backend=AzureStorage) and prints its state, progress
                  and, once ended, its summary. Runs none of its work.

          authorize
                  OAuth 2.0 consent for Confluence:AuthMode=OAuth: prints Atlassian's authorise URL, waits for the
                  redirect on the loopback Confluence:CallbackUrl (e.g. http://127.0.0.1:8765/callback, registered in
                  the Atlassian developer console) and stores the refresh token in a local file readable only by
                  you (LocalTokenStore:Path), or in Key Vault when KeyVault:Uri is set. Needs Confluence:Domain,
                  Confluence:ClientId, Confluence:ClientSecret, Confluence:CallbackUrl.

          bench   A full sync of a generated site (both simulators, the in-process engine, the production code paths),
                  measured: wall time, pages/s, Confluence requests and points against the site's lower bound,
                  RecordPoint calls, peak working set, largest orchestration history, throttling. Prints a markdown
                  table and writes it with a JSON report into the --out folder.
                  Options: --pages N (100000) --spaces N (50) --profile latency|quota|zero (latency)
                  --out FOLDER (./bench-results). latency: Confluence ~100 ms and RecordPoint ~50 ms per call,
                  burst limits; quota: 65,000 points per hour, 60 times faster than real time; zero: no latency.

        Settings come from environment variables (Confluence__Domain=...) and the command line
        (--Confluence:Domain=...); see README.md for every setting.
        Exit codes: 0 completed, 1 completed with failures or failed, 2 invalid settings.
        """;
}
