using ConfluenceConnector.Cli.Engine;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.Confluence.OAuth;
using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Simulators.Confluence;
using ConfluenceConnector.Simulators.RecordPoint;
using ConfluenceConnector.Simulators.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ConfluenceConnector.Tests.Confluence.OAuth;

/// <summary>Access tokens and refresh-token rotation against the simulated Atlassian server; syncs through the gateway.</summary>
public sealed class OAuthAuthenticatorIntegrationTests
{
    [Fact]
    public async Task Concurrent_callers_in_one_worker_cause_exactly_one_rotation()
    {
        await using var sim = await OAuthSimulatorFixture.StartAsync();
        await using var services = sim.Services();
        Assert.True((await sim.AuthorizeAsync(services)).Succeeded);
        var authenticator = services.GetRequiredService<IConfluenceAuthenticator>();

        var headers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () => await authenticator.GetAuthorizationAsync(CancellationToken.None))));

        Assert.Single(headers.Select(h => h.Parameter).Distinct());
        Assert.Equal(1, sim.Server.Rotations);
        Assert.Equal(0, sim.Server.LeewayReuses);
        Assert.Equal(0, sim.Server.ChainInvalidations);
        Assert.Equal(new Uri(sim.Confluence.BaseUrl, $"ex/confluence/{sim.Server.Options.CloudId}"), authenticator.ApiRoot);
    }

    [Fact]
    public async Task Workers_sharing_the_store_and_lock_never_reuse_a_rotated_refresh_token()
    {
        await using var sim = await OAuthSimulatorFixture.StartAsync(o => o.RefreshTokenReuseLeeway = TimeSpan.Zero);
        var refreshLock = new LocalRefreshLock(sim.TokenPath + ".lock");
        var workers = Enumerable.Range(0, 4).Select(_ => sim.Services(s => s.AddSingleton<IRefreshLock>(refreshLock))).ToList();
        try
        {
            Assert.True((await sim.AuthorizeAsync(workers[0])).Succeeded);

            await Task.WhenAll(workers.SelectMany(w => Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
                await w.GetRequiredService<IConfluenceAuthenticator>().GetAuthorizationAsync(CancellationToken.None)))));

            Assert.Equal(workers.Count, sim.Server.Rotations);
            Assert.Equal(0, sim.Server.LeewayReuses);
            Assert.Equal(0, sim.Server.ChainInvalidations);
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task An_access_token_refused_before_its_expiry_is_replaced_once_and_the_call_retried()
    {
        await using var sim = await OAuthSimulatorFixture.StartAsync();
        await using var services = sim.Services();
        Assert.True((await sim.AuthorizeAsync(services)).Succeeded);
        var confluence = services.GetRequiredService<ConfluenceClient>();
        var first = await confluence.ListSpacesAsync("current", null, null, CancellationToken.None);

        sim.Server.ExpireAccessTokens();
        var second = await confluence.ListSpacesAsync("current", null, null, CancellationToken.None);

        Assert.Equal(first.Results.Select(s => s.Id), second.Results.Select(s => s.Id));
        Assert.Equal(2, sim.Server.Rotations);
        Assert.Equal(0, sim.Server.ChainInvalidations);
    }

    [Fact]
    public async Task A_sync_through_the_gateway_survives_access_tokens_expiring_half_way()
    {
        // Every Confluence answer takes at least 25 ms, so one space's ~100 sequential requests outlast the 2-second
        // access token on any machine: the sync is certain to meet an expiry, whatever the CPU does.
        await using var sim = await OAuthSimulatorFixture.StartAsync(
            o => o.AccessTokenLifetime = TimeSpan.FromSeconds(2),
            new SiteSpec { Spaces = 3, PagesPerSpace = 30, SiteName = "acme" },
            new FaultProfile { Name = "slow", SlowEvery = 1, SlowBy = TimeSpan.FromMilliseconds(25) });
        await using (var services = sim.Services())
        {
            Assert.True((await sim.AuthorizeAsync(services)).Succeeded);
        }

        var report = await RunSyncAsync(sim, ("Sync:PageSize", "5"), ("Sync:SubmitConcurrency", "1"));

        Assert.True(report.Result?.Outcome == SyncOutcome.Completed, Describe(report));
        Assert.True(sim.Server.Rotations >= 2, $"expected the access token to expire during the sync; rotations: {sim.Server.Rotations}");
        Assert.Equal(0, sim.Server.ChainInvalidations);
        Assert.True(sim.Confluence.Requests["GET /wiki/api/v2/spaces/{id}/pages"] > 0);
    }

    [Fact]
    public async Task A_revoked_consent_stops_the_sync_and_says_reauthorisation_is_needed()
    {
        await using var sim = await OAuthSimulatorFixture.StartAsync();
        await using (var services = sim.Services())
        {
            Assert.True((await sim.AuthorizeAsync(services)).Succeeded);
        }

        sim.Server.RevokeConsent();
        var report = await RunSyncAsync(sim);

        var said = Describe(report);
        Assert.NotEqual(SyncOutcome.Completed, report.Result?.Outcome);
        Assert.Contains("re-authorisation is needed", said, StringComparison.Ordinal);
        Assert.Contains("confluence-connector authorize", said, StringComparison.Ordinal);
        Assert.Equal(0, sim.Confluence.Requests["GET /wiki/api/v2/spaces"]);
    }

    [Fact]
    public async Task Without_consent_the_failure_is_permanent_and_says_how_to_authorise()
    {
        await using var sim = await OAuthSimulatorFixture.StartAsync();
        await using var services = sim.Services();
        var authenticator = services.GetRequiredService<IConfluenceAuthenticator>();

        var missing = Assert.Throws<PermanentSyncException>(() => authenticator.ApiRoot);
        var refused = await Assert.ThrowsAsync<PermanentSyncException>(async () => await authenticator.GetAuthorizationAsync(CancellationToken.None));

        Assert.Contains("not been authorised yet", missing.Message, StringComparison.Ordinal);
        Assert.Contains("confluence-connector authorize", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_client_secret_on_refresh_is_permanent_and_never_echoed()
    {
        await using var sim = await OAuthSimulatorFixture.StartAsync();
        await using (var services = sim.Services())
        {
            Assert.True((await sim.AuthorizeAsync(services)).Succeeded);
        }

        sim.Settings["Confluence:ClientSecret"] = "rotated-away-secret";
        await using var worker = sim.Services();
        var e = await Assert.ThrowsAsync<PermanentSyncException>(async () => await worker.GetRequiredService<IConfluenceAuthenticator>().GetAuthorizationAsync(CancellationToken.None));

        Assert.Contains("Confluence:ClientSecret", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("rotated-away-secret", e.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, sim.Server.Rotations);
    }

    private static string Describe(SyncReport report) => string.Join(
        " | ",
        new[] { $"{report.RuntimeStatus} {report.Result?.Outcome}", report.FailureMessage }
            .Concat(report.Result?.FailureSamples.Select(f => f.ToString()) ?? [])
            .Concat(report.Spaces.Select(s => $"{s.SpaceKey}: {s.Status} {s.Error} {string.Join(", ", s.FailureSamples)}")));

    private static async Task<SyncReport> RunSyncAsync(OAuthSimulatorFixture sim, params (string Key, string Value)[] extra)
    {
        await using var recordPoint = await RecordPointSimulator.StartAsync(new RecordPointSimulatorOptions());
        var settings = new Dictionary<string, string?>(sim.Settings)
        {
            ["RecordPoint:ApiUrl"] = recordPoint.BaseUrl.ToString(),
            ["RecordPoint:AuthMode"] = "None",
            ["RecordPoint:ConnectorId"] = "connector-1",
            ["Sync:ActivityMaxAttempts"] = "2",
            ["Sync:ActivityFirstRetryInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var host = await LocalConnectorHost.StartAsync(configuration, configureServices: null, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        return await host.RunFullSyncAsync(onProgress: null, timeout.Token);
    }
}
