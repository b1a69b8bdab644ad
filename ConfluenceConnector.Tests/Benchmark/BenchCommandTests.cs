using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ConfluenceConnector.Cli.Benchmark;
using ConfluenceConnector.Cli.Commands;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Simulators.Bench;
using ConfluenceConnector.Simulators.Confluence;
using Xunit.Abstractions;

namespace ConfluenceConnector.Tests.Benchmark;

/// <summary>
/// <c>bench</c> end to end at a small size (zero profile): the sync through both simulators (in their child process)
/// completes, the JSON and markdown reports are written with counts that agree with the generated site, and the child
/// process is gone once the command returns. No time is asserted.
/// </summary>
public sealed partial class BenchCommandTests(ITestOutputHelper log) : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_small_zero_profile_bench_writes_a_report_whose_counts_match_the_site()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CliApp.RunAsync(["bench", "--pages", "200", "--spaces", "4", "--profile", "zero", "--out", folder], output, error, CancellationToken.None);

        log.WriteLine(output.ToString());
        Assert.True(exit == CliApp.ExitOk, error.ToString());
        var json = Assert.Single(Directory.GetFiles(folder, "bench-zero-200-*.json"));
        Assert.Single(Directory.GetFiles(folder, "bench-zero-200-*.md"));
        var report = BenchmarkReport.FromJson(await File.ReadAllTextAsync(json));

        var (options, _) = BenchmarkOptions.Parse(["--pages", "200", "--spaces", "4"]);
        var site = ConfluenceSiteGenerator.Generate(BenchSetup.Site(options.Pages, options.Spaces, options.Seed));
        var inScope = PointsLowerBound.Records(site).Count;
        Assert.Equal("Completed", report.Outcome);
        Assert.Equal(nameof(ListingStrategy.SiteWide), report.Listing);
        Assert.Equal(200, report.SitePages);
        Assert.Equal(inScope, report.RecordsInScope);
        Assert.Equal(inScope, report.RecordsSynced);
        Assert.Equal(inScope, report.RecordsInRecordPoint);
        Assert.Equal(0, report.Failures);
        Assert.Equal(PointsLowerBound.For(site, siteWide: true), report.PointsLowerBound);
        Assert.True(report.PointsRatio >= 1, $"points {report.ConfluencePoints} below the lower bound {report.PointsLowerBound}");
        Assert.Equal(report.ConfluenceRequests + report.ConfluenceObjects, report.ConfluencePoints);
        Assert.InRange(report.RecordPointCalls, inScope, long.MaxValue);
        Assert.InRange(report.MaxHistoryEvents, 1, int.MaxValue);
        Assert.InRange(report.ConnectorPeakWorkingSetMb, 1, double.MaxValue);
        Assert.InRange(report.SimulatorsPeakWorkingSetMb, 1, double.MaxValue);
        Assert.Equal(0, report.Confluence429);
        Assert.Contains("| Points lower bound, ratio |", output.ToString());
        Assert.Contains("| Simulators' process (separate, not the connector): peak working set |", output.ToString());

        var child = int.Parse(SimulatorsLine().Match(output.ToString()).Groups["pid"].Value, CultureInfo.InvariantCulture);
        Assert.NotEqual(Environment.ProcessId, child);
        Assert.False(IsRunning(child), $"the simulators' process {child} outlived the bench");
    }

    [Theory]
    [InlineData("--profile", "fast")]
    [InlineData("--pages", "3")]
    public async Task Invalid_options_are_refused_with_exit_code_2(string option, string value)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CliApp.RunAsync(["bench", option, value, "--out", folder], output, error, CancellationToken.None);

        Assert.Equal(CliApp.ExitInvalidSettings, exit);
        Assert.NotEmpty(error.ToString());
        Assert.False(Directory.Exists(folder));
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^Simulators: process (?<pid>\d+),", RegexOptions.Multiline)]
    private static partial Regex SimulatorsLine();
}
