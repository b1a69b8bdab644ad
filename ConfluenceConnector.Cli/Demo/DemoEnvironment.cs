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

    /// <summary>
    /// Starts the simulators for whichever side <paramref name="configuration"/> leaves unconfigured: Confluence serving
    /// a site generated from <c>Demo:Seed</c>, <c>Demo:Spaces</c>, <c>Demo:PagesPerSpace</c> and <c>Demo:BlogPostsPerSpace</c>,
    /// both with the faults of <c>Demo:FaultProfile</c>.
    /// </summary>
    public static async Task<DemoEnvironment> StartAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var faults = FaultProfile.Parse(configuration["Demo:FaultProfile"]);
        var settings = new Dictionary<string, string?>();
        ConfluenceSimulator? confluence = null;
        RecordPointSimulator? recordPoint = null;

        if (!SimulatorSettings.ConfluenceConfigured(configuration))
        {
            var demo = configuration.GetSection("Demo");
            var site = ConfluenceSiteGenerator.Generate(new SiteSpec
            {
                Seed = demo.GetValue("Seed", 42),
                Spaces = demo.GetValue("Spaces", 5),
                PagesPerSpace = demo.GetValue("PagesPerSpace", 40),
                BlogPostsPerSpace = demo.GetValue("BlogPostsPerSpace", 2),
            });
            var options = new ConfluenceSimulatorOptions { Faults = faults };
            confluence = await ConfluenceSimulator.StartAsync(site, options, cancellationToken).ConfigureAwait(false);
            SimulatorSettings.Confluence(settings, site.SiteName, confluence.BaseUrl, options.Email, options.ApiToken);
        }

        if (!SimulatorSettings.RecordPointConfigured(configuration))
        {
            recordPoint = await RecordPointSimulator.StartAsync(new RecordPointSimulatorOptions { Faults = faults }, cancellationToken).ConfigureAwait(false);
            SimulatorSettings.RecordPoint(settings, recordPoint.BaseUrl, configuration);
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
