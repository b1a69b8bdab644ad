using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ConfluenceConnector.Cli.Commands;
using ConfluenceConnector.Core.Confluence.OAuth;
using ConfluenceConnector.Simulators.RecordPoint;

namespace ConfluenceConnector.Tests.Confluence.OAuth;

/// <summary>The local runner: <c>authorize</c> over a real loopback redirect, then <c>sync</c> with the stored token.</summary>
public sealed partial class CliAuthorizeTests
{
    [Fact]
    public async Task Authorize_then_sync_with_oauth_through_the_gateway()
    {
        await using var sim = await OAuthSimulatorFixture.StartAsync();
        await using var recordPoint = await RecordPointSimulator.StartAsync(new RecordPointSimulatorOptions());
        var callback = $"http://127.0.0.1:{FreePort()}/callback";
        sim.Settings["Confluence:CallbackUrl"] = callback;
        var args = sim.Settings.Where(s => s.Value is not null).Select(s => $"--{s.Key}={s.Value}").ToList();
        var output = new StringWriter();
        var error = new StringWriter();
        var syncOutput = TextWriter.Synchronized(output);

        var authorize = Task.Run(() => CliApp.RunAsync(["authorize", .. args], syncOutput, TextWriter.Synchronized(error), CancellationToken.None));
        var authorizeUrl = await WaitForAuthorizeUrlAsync(output, authorize);
        using (var browser = new HttpClient())
        {
            using var page = await browser.GetAsync(authorizeUrl);
            Assert.True(page.StatusCode == HttpStatusCode.OK, authorizeUrl + " " + await page.Content.ReadAsStringAsync());
            Assert.Contains("You may now enable the connector", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(CliApp.ExitOk, await authorize);
        Assert.Contains(sim.TokenPath, output.ToString(), StringComparison.Ordinal);
        var stored = await new FileTokenStore(sim.TokenPath).GetAsync(CancellationToken.None);
        Assert.DoesNotContain(stored!.RefreshToken, output.ToString(), StringComparison.Ordinal);

        var syncArgs = new List<string>(args)
        {
            $"--RecordPoint:ApiUrl={recordPoint.BaseUrl}",
            "--RecordPoint:AuthMode=None",
            "--RecordPoint:ConnectorId=connector-1",
        };
        var exit = await CliApp.RunAsync(["sync", .. syncArgs], TextWriter.Null, error, CancellationToken.None);

        Assert.True(exit == CliApp.ExitOk, error.ToString());
        Assert.True(sim.Confluence.Requests["GET /wiki/api/v2/spaces"] > 0);
        Assert.Equal(1, sim.Server.Rotations);
    }

    private static async Task<Uri> WaitForAuthorizeUrlAsync(StringWriter output, Task<int> command)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (AuthorizeUrl().Match(output.ToString()) is { Success: true } match)
            {
                return new Uri(match.Value);
            }

            Assert.False(command.IsCompleted, $"authorize ended before printing the URL: {output}");
            await Task.Delay(50, timeout.Token);
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [GeneratedRegex(@"http://\S+/authorize\?\S+")]
    private static partial Regex AuthorizeUrl();
}
