using System.Diagnostics;

namespace ConfluenceConnector.Tests.Support;

/// <summary>Headless Chromium (Debian's chromium package, which .ci/run installs) for tests of pages people look at.</summary>
internal static class Chromium
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    /// <summary>Loads <paramref name="html"/> in headless Chromium and returns the DOM it rendered.</summary>
    public static async Task<string> DumpDomAsync(string html)
    {
        var browser = Candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium is not installed: run `apt-get install -y chromium` (as .ci/run does) and test again.");
        var folder = Directory.CreateTempSubdirectory("status-page-");
        try
        {
            var page = Path.Combine(folder.FullName, "page.html");
            await File.WriteAllTextAsync(page, html);
            var start = new ProcessStartInfo(browser)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                $"--user-data-dir={Path.Combine(folder.FullName, "profile")}", "--dump-dom", new Uri(page).AbsoluteUri,
            })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            var dom = await output;
            return process.ExitCode == 0 && dom.Length > 0
                ? dom
                : throw new InvalidOperationException($"Chromium exited {process.ExitCode}: {await errors}");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
