using System.Diagnostics;
using System.Text;

namespace ConfluenceConnector.Tests.Support;

/// <summary>
/// The built local runner (confluence-connector.dll, copied next to the test assembly) as a child process: started
/// with settings on its command line, its output captured, killed with SIGKILL by its own process id.
/// </summary>
internal sealed class RunnerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private RunnerProcess(Process process)
    {
        this.process = process;
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>What the runner printed so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static RunnerProcess Start(string command, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "confluence-connector.dll"));
        start.ArgumentList.Add(command);
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var runner = new RunnerProcess(new Process { StartInfo = start });
        runner.process.OutputDataReceived += (_, e) => runner.Append(e.Data);
        runner.process.ErrorDataReceived += (_, e) => runner.Append(e.Data);
        runner.process.Start();
        runner.process.BeginOutputReadLine();
        runner.process.BeginErrorReadLine();
        return runner;
    }

    /// <summary>SIGKILL: the process gets no chance to stop its work, save anything or release its leases.</summary>
    public async Task KillAsync()
    {
        process.Kill();
        await process.WaitForExitAsync();
    }

    /// <summary>Waits for the runner to exit on its own and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The runner did not exit within {timeout}. Its output:\n{Output}");
        }

        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
