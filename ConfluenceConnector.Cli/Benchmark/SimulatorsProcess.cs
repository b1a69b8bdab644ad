using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using ConfluenceConnector.Simulators.Bench;
using ConfluenceConnector.Simulators.Common;

namespace ConfluenceConnector.Cli.Benchmark;

/// <summary>
/// Both simulators in a child process (<c>ConfluenceConnector.Simulators bench ...</c>, <see cref="BenchServer"/>), so
/// that the bench's process holds the connector alone and not the generated site nor RecordPoint's store. The child
/// runs on the same dotnet host from the simulators' assembly next to this one, announces its ports on stdout, and
/// ends when its stdin does: when this is disposed, or when this process dies. Disposing waits for it to end and kills
/// it (and anything it started) if it does not.
/// </summary>
internal sealed class SimulatorsProcess : IAsyncDisposable
{
    /// <summary>The simulators' program, copied next to the CLI's (and the tests') by the project reference.</summary>
    public const string AssemblyFile = "ConfluenceConnector.Simulators.dll";

    private static readonly TimeSpan GracefulExit = TimeSpan.FromSeconds(10);
    private const int ErrorLinesKept = 20;

    private readonly Process process;
    private readonly TaskCompletionSource<BenchReady> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> errorTail = new();
    private readonly HttpClient http = new();
    private readonly Task output;
    private readonly Task errors;

    private SimulatorsProcess(Process process)
    {
        this.process = process;
        errors = DrainErrorsAsync();
        output = ReadUntilReadyThenDrainAsync();
    }

    /// <summary>The child's process id.</summary>
    public int Id => process.Id;

    /// <summary>Where the simulators listen and how to sign in, as the child announced it.</summary>
    public BenchReady Ready => ready.Task.IsCompletedSuccessfully ? ready.Task.Result : throw new InvalidOperationException("The simulators are not ready.");

    /// <summary>
    /// How the child is started: the dotnet host (<c>DOTNET_HOST_PATH</c> when set, else <c>dotnet</c> on the PATH)
    /// running <see cref="AssemblyFile"/> from this application's folder, stdin and stdout redirected.
    /// </summary>
    public static ProcessStartInfo StartInfo(BenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var assembly = Path.Combine(AppContext.BaseDirectory, AssemblyFile);
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"bench runs the simulators from {assembly}, which is missing: build ConfluenceConnector.Cli (it references ConfluenceConnector.Simulators).");
        }

        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        var start = new ProcessStartInfo(string.IsNullOrEmpty(host) ? "dotnet" : host)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in BenchServer.Arguments(options.Pages, options.Spaces, options.Seed, options.Profile))
        {
            start.ArgumentList.Add(argument);
        }

        // The simulators' project is a web project (server GC); the bench runs them with the workstation GC they had
        // in the bench's process, which on a small machine leaves the connector its cores.
        start.Environment["DOTNET_gcServer"] = "0";
        return start;
    }

    /// <summary>Starts the child and waits until both simulators listen (the site is generated first).</summary>
    public static async Task<SimulatorsProcess> StartAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var process = Process.Start(StartInfo(options)) ?? throw new InvalidOperationException("The simulators' process did not start.");
        var simulators = new SimulatorsProcess(process);
        try
        {
            await simulators.ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return simulators;
        }
        catch
        {
            await simulators.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The Confluence simulator's counters and site figures, its points lower bound for <paramref name="siteWideListing"/> or per-content listings.</summary>
    public async Task<ConfluenceSimStats> ConfluenceStatsAsync(bool siteWideListing, CancellationToken cancellationToken)
    {
        var uri = new Uri(Ready.ConfluenceUrl, $"{SimStats.Route.TrimStart('/')}?{SimStats.ListingParameter}={(siteWideListing ? "SiteWide" : "PerContent")}");
        return await http.GetFromJsonAsync<ConfluenceSimStats>(uri, SimStats.Json, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{uri} answered nothing.");
    }

    /// <summary>The RecordPoint simulator's counters and what its store holds.</summary>
    public async Task<RecordPointSimStats> RecordPointStatsAsync(CancellationToken cancellationToken)
    {
        var uri = new Uri(Ready.RecordPointUrl, SimStats.Route.TrimStart('/'));
        return await http.GetFromJsonAsync<RecordPointSimStats>(uri, SimStats.Json, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{uri} answered nothing.");
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        if (!process.HasExited)
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The child is already gone: nothing reads its stdin.
            }

            using var grace = new CancellationTokenSource(GracefulExit);
            try
            {
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
        }

        await Task.WhenAll(output, errors).ConfigureAwait(false);
        process.Dispose();
    }

    private async Task ReadUntilReadyThenDrainAsync()
    {
        while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (!ready.Task.IsCompleted && line.StartsWith(BenchServer.ReadyPrefix, StringComparison.Ordinal))
            {
                try
                {
                    ready.SetResult(JsonSerializer.Deserialize<BenchReady>(line[BenchServer.ReadyPrefix.Length..], SimStats.Json)
                        ?? throw new JsonException("null"));
                }
                catch (JsonException e)
                {
                    ready.SetException(new InvalidOperationException($"The simulators' process announced itself in a line that is not understood: {line}", e));
                }
            }
        }

        // Its stdout ended: it exited (or is about to).
        await process.WaitForExitAsync().ConfigureAwait(false);
        await errors.ConfigureAwait(false);
        string tail;
        lock (errorTail)
        {
            tail = string.Join(Environment.NewLine, errorTail);
        }

        ready.TrySetException(new InvalidOperationException($"The simulators' process exited with code {process.ExitCode} before it was ready.{Environment.NewLine}{tail}"));
    }

    private async Task DrainErrorsAsync()
    {
        while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (errorTail)
            {
                errorTail.Enqueue(line);
                if (errorTail.Count > ErrorLinesKept)
                {
                    errorTail.Dequeue();
                }
            }
        }
    }
}
