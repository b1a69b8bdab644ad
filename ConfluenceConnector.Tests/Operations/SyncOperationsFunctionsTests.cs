using System.Text.Json;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Operations;
using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Core.Sync.Orchestrators;
using ConfluenceConnector.Functions.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace ConfluenceConnector.Tests.Operations;

public sealed class SyncOperationsFunctionsTests
{
    private readonly Mock<DurableTaskClient> client = new("test-hub");
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
    private readonly SyncOperationsFunctions functions;

    public SyncOperationsFunctionsTests()
    {
        var sync = Options.Create(new SyncOptions());
        var confluence = Options.Create(new ConfluenceOptions { Domain = "acme", CallbackUrl = new Uri("https://connector.azurewebsites.net/api/oauth/callback") });
        var operations = new SyncOperations(new SyncStarter(sync, NullLogger<SyncStarter>.Instance), time, Options.Create(new OperationsOptions()), confluence, NullLogger<SyncOperations>.Instance);
        functions = new SyncOperationsFunctions(operations);
        client.Setup(c => c.GetAllInstancesAsync(It.IsAny<OrchestrationQuery?>())).Returns(Pageable.Create<OrchestrationMetadata>((_, _, _) => Task.FromResult(new Page<OrchestrationMetadata>([], null))));
    }

    private static HttpRequest Request(string method, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("connector.azurewebsites.net");
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }

    private void Instance(OrchestrationRuntimeStatus status, object? customStatus = null, object? output = null, object? input = null) =>
        client.Setup(c => c.GetInstanceAsync(SyncStarter.FullSyncInstanceId, It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata(nameof(FullSyncOrchestrator), SyncStarter.FullSyncInstanceId)
            {
                RuntimeStatus = status,
                CreatedAt = time.GetUtcNow().AddMinutes(-10),
                LastUpdatedAt = time.GetUtcNow(),
                SerializedCustomStatus = customStatus is null ? null : JsonSerializer.Serialize(customStatus),
                SerializedOutput = output is null ? null : JsonSerializer.Serialize(output),
                SerializedInput = input is null ? null : JsonSerializer.Serialize(input),
                DataConverter = JsonDataConverter.Default,
            });

    [Fact]
    public async Task Start_schedules_the_singleton_and_answers_202_with_the_status_url()
    {
        client.Setup(c => c.GetInstanceAsync(SyncStarter.FullSyncInstanceId, false, It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.Is<TaskName>(n => n.Name == nameof(FullSyncOrchestrator)), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(SyncStarter.FullSyncInstanceId);

        var result = Assert.IsType<AcceptedResult>(await functions.Start(Request("POST"), client.Object, CancellationToken.None));

        Assert.Equal("https://connector.azurewebsites.net/api/sync/status", result.Location);
        client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(
            It.IsAny<TaskName>(),
            It.IsAny<object?>(),
            It.Is<StartOrchestrationOptions?>(o => o!.InstanceId == SyncStarter.FullSyncInstanceId),
            It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Start_answers_409_with_the_running_instance_and_starts_nothing()
    {
        Instance(OrchestrationRuntimeStatus.Running);

        var result = Assert.IsType<ConflictObjectResult>(await functions.Start(Request("POST"), client.Object, CancellationToken.None));

        Assert.Contains(SyncStarter.FullSyncInstanceId, JsonSerializer.Serialize(result.Value));
        client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Status_is_404_with_a_hint_before_any_run()
    {
        client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);

        var result = Assert.IsType<NotFoundObjectResult>(await functions.Status(Request("GET"), client.Object, CancellationToken.None));

        Assert.Contains("POST /api/sync", JsonSerializer.Serialize(result.Value));
    }

    [Fact]
    public async Task Status_of_a_running_sync_comes_from_its_custom_status()
    {
        var totals = new SyncTotals { Spaces = 3, Pages = 600, RecordsSubmitted = 590, Failures = 2 };
        Instance(OrchestrationRuntimeStatus.Running, new FullSyncProgress("run-1", "Syncing spaces", 2, totals));

        var result = Assert.IsType<OkObjectResult>(await functions.Status(Request("GET"), client.Object, CancellationToken.None));

        var status = Assert.IsType<SyncStatus>(result.Value);
        Assert.Equal("Running", status.State);
        Assert.Equal("run-1", status.RunId);
        Assert.Equal("Syncing spaces", status.Phase);
        Assert.Equal(600, status.Totals.Pages);
        Assert.Equal(TimeSpan.FromMinutes(10), status.Elapsed);
        Assert.Equal(60, status.PagesPerMinute);
    }

    [Fact]
    public async Task A_running_sync_estimates_its_end_against_the_last_runs_size()
    {
        var totals = new SyncTotals { Pages = 600 };
        Instance(
            OrchestrationRuntimeStatus.Running,
            new FullSyncProgress("run-1", "Syncing spaces", 2, totals),
            input: new FullSyncState { Settings = new SyncRunSettings(8, 5, TimeSpan.FromSeconds(10)), ExpectedRecords = 1200 });

        var status = Assert.IsType<SyncStatus>(Assert.IsType<OkObjectResult>(await functions.Status(Request("GET"), client.Object, CancellationToken.None)).Value);

        Assert.Equal(time.GetUtcNow().AddMinutes(10), status.EstimatedCompletion);
    }

    [Fact]
    public async Task A_new_run_carries_the_size_of_the_last_completed_run()
    {
        Instance(
            OrchestrationRuntimeStatus.Completed,
            output: new FullSyncResult("run-0", SyncOutcome.Completed, time.GetUtcNow().AddHours(-5), time.GetUtcNow().AddHours(-4), new SyncTotals { Pages = 100, BlogPosts = 5 }, [], []));
        FullSyncState? input = null;
        client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .Callback((TaskName _, object? i, StartOrchestrationOptions? _, CancellationToken _) => input = (FullSyncState?)i)
            .ReturnsAsync(SyncStarter.FullSyncInstanceId);

        Assert.IsType<AcceptedResult>(await functions.Start(Request("POST"), client.Object, CancellationToken.None));

        Assert.Equal(105, input!.ExpectedRecords);
    }

    [Fact]
    public async Task A_run_stopped_by_a_revoked_consent_says_re_authorisation_is_needed_and_where()
    {
        var failure = new ItemFailure("(run)", "run", $"{ConfluenceConnector.Core.Confluence.OAuth.OAuthConfluenceAuthenticator.ReauthorizationNeeded}: the refresh token was refused.");
        Instance(
            OrchestrationRuntimeStatus.Completed,
            output: new FullSyncResult("run-2", SyncOutcome.Failed, time.GetUtcNow().AddMinutes(-1), time.GetUtcNow(), new SyncTotals(), [], [failure]));

        var status = Assert.IsType<SyncStatus>(Assert.IsType<OkObjectResult>(await functions.Status(Request("GET"), client.Object, CancellationToken.None)).Value);

        Assert.Equal("Failed", status.State);
        Assert.NotNull(status.ActionNeeded);
        Assert.Contains("https://connector.azurewebsites.net/api/oauth/authorize", status.ActionNeeded);
        Assert.NotNull(status.Reconciliation);
    }

    [Theory]
    [InlineData("", OrchestrationRuntimeStatus.Suspended)]
    [InlineData("?mode=suspend", OrchestrationRuntimeStatus.Suspended)]
    [InlineData("?mode=terminate", OrchestrationRuntimeStatus.Terminated)]
    public async Task Stop_suspends_by_default_or_terminates_the_run_with_its_spaces(string query, OrchestrationRuntimeStatus expected)
    {
        Instance(OrchestrationRuntimeStatus.Running);

        Assert.IsType<AcceptedResult>(await functions.Stop(Request("POST", query), SyncStarter.FullSyncInstanceId, client.Object, CancellationToken.None));

        if (expected == OrchestrationRuntimeStatus.Suspended)
        {
            client.Verify(c => c.SuspendInstanceAsync(SyncStarter.FullSyncInstanceId, It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Once);
        }
        else
        {
            client.Verify(c => c.TerminateInstanceAsync(SyncStarter.FullSyncInstanceId, It.Is<TerminateInstanceOptions?>(o => o!.Recursive), It.IsAny<CancellationToken>()), Times.Once);
        }
    }

    [Fact]
    public async Task Stop_with_an_unknown_mode_is_a_400_that_names_the_accepted_ones()
    {
        var result = Assert.IsType<BadRequestObjectResult>(await functions.Stop(Request("POST", "?mode=pause"), SyncStarter.FullSyncInstanceId, client.Object, CancellationToken.None));
        Assert.Contains("suspend", JsonSerializer.Serialize(result.Value));
    }

    [Fact]
    public async Task Stop_of_a_finished_run_is_a_404()
    {
        Instance(OrchestrationRuntimeStatus.Completed);

        Assert.IsType<NotFoundObjectResult>(await functions.Stop(Request("POST"), SyncStarter.FullSyncInstanceId, client.Object, CancellationToken.None));
        client.Verify(c => c.SuspendInstanceAsync(It.IsAny<string>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task The_page_is_html_even_before_any_run()
    {
        client.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);

        var result = Assert.IsType<ContentResult>(await functions.Page(Request("GET"), client.Object, CancellationToken.None));

        Assert.StartsWith("text/html", result.ContentType);
        Assert.Contains("No full sync has run yet", result.Content);
    }
}
