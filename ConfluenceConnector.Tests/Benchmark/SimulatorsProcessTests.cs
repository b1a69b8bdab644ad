using System.Diagnostics;
using System.Text.Json;
using ConfluenceConnector.Cli.Benchmark;
using ConfluenceConnector.Simulators.Bench;
using ConfluenceConnector.Simulators.Common;

namespace ConfluenceConnector.Tests.Benchmark;

/// <summary>
/// The bench's simulators' process on its own: it announces both simulators on one stdout line, serves the bench site
/// and its stats, and ends by itself once its stdin ends (what happens when its parent dies).
/// </summary>
public sealed class SimulatorsProcessTests
{
    [Fact]
    public async Task The_child_announces_its_simulators_serves_the_bench_site_and_ends_with_its_stdin()
    {
        var (options, _) = BenchmarkOptions.Parse(["--pages", "40", "--spaces", "2", "--profile", "zero"]);
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var child = Process.Start(SimulatorsProcess.StartInfo(options))!;
        try
        {
            string? line;
            do
            {
                line = await child.StandardOutput.ReadLineAsync(guard.Token);
                Assert.NotNull(line);
            }
            while (!line.StartsWith(BenchServer.ReadyPrefix, StringComparison.Ordinal));

            var ready = JsonSerializer.Deserialize<BenchReady>(line[BenchServer.ReadyPrefix.Length..], SimStats.Json)!;
            using var http = new HttpClient();
            using var stats = await http.GetAsync(new Uri(ready.ConfluenceUrl, "_sim/stats"), guard.Token);
            var confluence = JsonSerializer.Deserialize<ConfluenceSimStats>(await stats.Content.ReadAsStringAsync(guard.Token), SimStats.Json)!;
            Assert.Equal("bench", ready.SiteName);
            Assert.Equal(40, confluence.Site.Pages);
            Assert.Equal(2, confluence.Site.Spaces);
            Assert.Equal(0, confluence.Requests);

            child.StandardInput.Close();
            await child.WaitForExitAsync(guard.Token);

            Assert.Equal(0, child.ExitCode);
        }
        finally
        {
            child.Kill(entireProcessTree: true);
        }
    }
}
