using ConfluenceConnector.Simulators.Common;
using ConfluenceConnector.Simulators.Confluence;
using ConfluenceConnector.Simulators.RecordPoint;
using Microsoft.Extensions.Configuration;

namespace ConfluenceConnector.Cli.Demo;

/// <summary>
/// Starts the simulators for whichever side has no settings, and gives the settings that point the connector at
/// them. A side that is configured is left alone and used for real. <c>Demo:FaultProfile</c> (quota, burst, flaky,
/// slow, recordpoint) switches on the simulators' fault injection.
/// </summary>
public sealed class DemoEnvironment : IAsyncDisposable
{
    private DemoEnvironment(ConfluenceSimulator? confluence, RecordPointSimulator? recordPoint, IReadOnlyDictionary<string, string?> settings)
    {
        Confluence = confluence;
        RecordPoint = recordPoint;
        Settings = settings;
    }

    /// <summary>The Confluence simulator, when Confluence was not configured.</summary>
    public ConfluenceSimulator? Confluence { get; }

    /// <summary>The RecordPoint simulator, when RecordPoint was not configured.</summary>
    public RecordPointSimulator? RecordPoint { get; }

    /// <summary>Settings that point the connector at the simulators that were started.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    public static Task<DemoEnvironment> StartAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var demo = configuration.GetSection("Demo");
        return StartAsync(
            configuration,
            () => ConfluenceSiteGenerator.Generate(new SiteSpec
            {
                Seed = demo.GetValue("Seed", 42),
                Spaces = demo.GetValue("Spaces", 5),
                PagesPerSpace = demo.GetValue("PagesPerSpace", 40),
                BlogPostsPerSpace = demo.GetValue("BlogPostsPerSpace", 2),
            }),
            FaultProfile.Parse(configuration["Demo:FaultProfile"]),
            keepBinaryContent: true,
            cancellationToken);
    }

    /// <summary>
    /// Starts the simulators for whichever side <paramref name="configuration"/> leaves unconfigured: Confluence serving
    /// the site <paramref name="site"/> builds (only called when it is needed), both with <paramref name="faults"/>.
    /// <paramref name="keepBinaryContent"/> false has RecordPoint keep binaries' sizes and metadata but not their bytes.
    /// </summary>
    public static async Task<DemoEnvironment> StartAsync(IConfiguration configuration, Func<ConfluenceSite> site, FaultProfile? faults, bool keepBinaryContent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        var settings = new Dictionary<string, string?>();
        ConfluenceSimulator? confluence = null;
        RecordPointSimulator? recordPoint = null;

        if (string.IsNullOrWhiteSpace(configuration["Confluence:Domain"]) && string.IsNullOrWhiteSpace(configuration["Confluence:BaseUrl"]))
        {
            var generated = site();
            var options = new ConfluenceSimulatorOptions { Faults = faults };
            confluence = await ConfluenceSimulator.StartAsync(generated, options, cancellationToken).ConfigureAwait(false);
            settings["Confluence:Domain"] = generated.SiteName;
            settings["Confluence:BaseUrl"] = confluence.BaseUrl.ToString();
            settings["Confluence:AuthMode"] = "Basic";
            settings["Confluence:Email"] = options.Email;
            settings["Confluence:ApiToken"] = options.ApiToken;
        }

        if (string.IsNullOrWhiteSpace(configuration["RecordPoint:ApiUrl"]))
        {
            recordPoint = await RecordPointSimulator.StartAsync(new RecordPointSimulatorOptions { Faults = faults, KeepBinaryContent = keepBinaryContent }, cancellationToken).ConfigureAwait(false);
            settings["RecordPoint:ApiUrl"] = recordPoint.BaseUrl.ToString();
            settings["RecordPoint:AuthMode"] = "None";
            settings["RecordPoint:ConnectorId"] = configuration["RecordPoint:ConnectorId"] ?? "demo-connector";
        }

        return new DemoEnvironment(confluence, recordPoint, settings);
    }

    public async ValueTask DisposeAsync()
    {
        if (Confluence is not null)
        {
            await Confluence.DisposeAsync().ConfigureAwait(false);
        }

        if (RecordPoint is not null)
        {
            await RecordPoint.DisposeAsync().ConfigureAwait(false);
        }
    }
}
