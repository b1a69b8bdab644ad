using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using ConfluenceConnector.Core;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.RecordPoint;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ConfluenceConnector.Tests.Confluence;

/// <summary>The configured retry pipelines of the "Confluence" and "RecordPoint" clients, over a scripted primary handler.</summary>
public sealed class ResiliencePipelineTests
{
    private static (IHttpClientFactory Factory, ScriptedHandler Handler, ServiceProvider Services) Build(string clientName, params Func<HttpResponseMessage>[] answers)
    {
        var handler = new ScriptedHandler(answers);
        var (factory, services) = Build(clientName, handler);
        return (factory, handler, services);
    }

    private static (IHttpClientFactory Factory, ServiceProvider Services) Build(string clientName, HttpMessageHandler handler, params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Confluence:Domain"] = "acme",
            ["Confluence:BaseUrl"] = "http://127.0.0.1:9/",
            ["Confluence:Email"] = "sync@example.com",
            ["Confluence:ApiToken"] = "token",
            ["Confluence:Resilience:RetryBaseDelay"] = "00:00:00.010",
            ["Confluence:Resilience:MaxRetryAfter"] = "00:00:05",
            ["RecordPoint:ApiUrl"] = "http://127.0.0.1:9/",
            ["RecordPoint:ConnectorId"] = "connector-1",
            ["RecordPoint:AuthMode"] = "None",
            ["RecordPoint:Resilience:RetryBaseDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var services = new ServiceCollection().AddLogging();
        services.AddConfluenceConnector(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddHttpClient(clientName).ConfigurePrimaryHttpMessageHandler(() => handler);
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<IHttpClientFactory>(), provider);
    }

    private static Func<HttpResponseMessage> Answer(HttpStatusCode status, params (string Name, string Value)[] headers) => () =>
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    };

    [Fact]
    public async Task Confluence_503s_and_dropped_connections_are_retried_until_an_answer()
    {
        var (factory, handler, services) = Build(ConfluenceClient.HttpClientName, Answer(HttpStatusCode.ServiceUnavailable), () => throw new HttpRequestException("connection reset"), Answer(HttpStatusCode.OK));
        await using var _ = services;

        using var response = await factory.CreateClient(ConfluenceClient.HttpClientName).GetAsync("/wiki/api/v2/spaces");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, handler.Sent.Count);
    }

    [Fact]
    public async Task Confluence_truncated_json_bodies_are_retried_like_a_dropped_connection()
    {
        var truncated = () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"results\":[{\"id\":\"1", Encoding.UTF8, "application/json") };
        var (factory, handler, services) = Build(ConfluenceClient.HttpClientName, truncated, Answer(HttpStatusCode.OK));
        await using var _ = services;

        using var response = await factory.CreateClient(ConfluenceClient.HttpClientName).GetAsync("/wiki/api/v2/spaces");

        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        Assert.Equal(2, handler.Sent.Count);
    }

    [Fact]
    public async Task Confluence_429_waits_retry_after_when_under_the_cap()
    {
        var (factory, handler, services) = Build(ConfluenceClient.HttpClientName, Answer(HttpStatusCode.TooManyRequests, ("Retry-After", "1")), Answer(HttpStatusCode.OK));
        await using var _ = services;

        using var response = await factory.CreateClient(ConfluenceClient.HttpClientName).GetAsync("/wiki/api/v2/spaces");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(handler.Sent[1] - handler.Sent[0] >= TimeSpan.FromMilliseconds(950), $"retried after {handler.Sent[1] - handler.Sent[0]}");
    }

    [Fact]
    public async Task Confluence_429_without_retry_after_waits_until_x_ratelimit_reset()
    {
        var reset = DateTimeOffset.UtcNow.AddSeconds(1.5).ToString("O", CultureInfo.InvariantCulture);
        var (factory, handler, services) = Build(ConfluenceClient.HttpClientName, Answer(HttpStatusCode.TooManyRequests, ("X-RateLimit-Reset", reset)), Answer(HttpStatusCode.OK));
        await using var _ = services;

        using var response = await factory.CreateClient(ConfluenceClient.HttpClientName).GetAsync("/wiki/api/v2/spaces");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(handler.Sent[1] - handler.Sent[0] >= TimeSpan.FromMilliseconds(1000), $"retried after {handler.Sent[1] - handler.Sent[0]}");
    }

    [Fact]
    public async Task Confluence_quota_429_longer_than_the_cap_throws_the_resume_time_instead_of_waiting()
    {
        var (factory, handler, services) = Build(
            ConfluenceClient.HttpClientName,
            Answer(HttpStatusCode.TooManyRequests, ("Retry-After", "1800"), ("RateLimit-Reason", "confluence-quota-global-based"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", DateTimeOffset.UtcNow.AddMinutes(30).ToString("O"))));
        await using var _ = services;
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<QuotaExhaustedException>(() => factory.CreateClient(ConfluenceClient.HttpClientName).GetAsync("/wiki/api/v2/spaces"));

        Assert.Single(handler.Sent);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        Assert.InRange(e.ResumeAt, DateTimeOffset.UtcNow.AddMinutes(29), DateTimeOffset.UtcNow.AddMinutes(31));

        // Every other call of the process now stops before spending a request.
        await Assert.ThrowsAsync<QuotaExhaustedException>(() => factory.CreateClient(ConfluenceClient.HttpClientName).GetAsync("/wiki/api/v2/pages"));
        Assert.Single(handler.Sent);
    }

    [Fact]
    public async Task RecordPoint_429_holds_every_submission_until_wait_until_time()
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(1.5);
        var (factory, handler, services) = Build(RecordPointClient.HttpClientName, Answer(HttpStatusCode.TooManyRequests, ("wait-until-time", until.ToString("O", CultureInfo.InvariantCulture))), Answer(HttpStatusCode.OK), Answer(HttpStatusCode.OK));
        await using var _ = services;
        var client = factory.CreateClient(RecordPointClient.HttpClientName);

        using var first = await client.PostAsync("api/Items", new StringContent("{}"));
        using var second = await client.PostAsync("api/Items", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.All(handler.Sent.Skip(1), sent => Assert.True(sent >= until.AddMilliseconds(-20), $"sent at {sent:O}, before {until:O}"));
        Assert.Equal(until, services.GetRequiredService<RecordPointThrottle>().Until, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task A_RecordPoint_call_caught_in_flight_by_another_calls_429_is_sent_again_without_spending_a_retry()
    {
        var until = DateTimeOffset.UtcNow.AddMilliseconds(300);
        var bSent = new TaskCompletionSource();
        var aSentAgain = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new KeyedHandler(async (key, attempt) =>
        {
            switch (key, attempt)
            {
                case ("a", 1):
                    return Answer(HttpStatusCode.TooManyRequests, ("wait-until-time", until.ToString("O", CultureInfo.InvariantCulture)))();
                case ("a", 2):
                    aSentAgain.SetResult();
                    return Answer(HttpStatusCode.OK)();
                case ("b", 1):
                    // b was sent before a's 429, and is answered 429 once a has been held and sent again.
                    bSent.SetResult();
                    await aSentAgain.Task;
                    return Answer(HttpStatusCode.TooManyRequests, ("wait-until-time", until.ToString("O", CultureInfo.InvariantCulture)))();
                case ("b", 2):
                    return Answer(HttpStatusCode.ServiceUnavailable)();
                default:
                    return Answer(HttpStatusCode.OK)();
            }
        });
        var (factory, services) = Build(RecordPointClient.HttpClientName, handler, ("RecordPoint:Resilience:MaxRetries", "1"));
        await using var _ = services;
        var client = factory.CreateClient(RecordPointClient.HttpClientName);

        var b = client.PostAsync("api/Items?call=b", new StringContent("{}"));
        await bSent.Task;
        using var a = await client.PostAsync("api/Items?call=a", new StringContent("{}"));
        using var bAnswer = await b;

        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bAnswer.StatusCode);
        Assert.Equal(3, handler.Attempts("b"));
        Assert.All(handler.SentAfterFirst("b"), sent => Assert.True(sent >= until.AddMilliseconds(-20), $"b sent again at {sent:O}, before {until:O}"));
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task RecordPoint_transient_answers_are_retried(HttpStatusCode status)
    {
        var (factory, handler, services) = Build(RecordPointClient.HttpClientName, Answer(status), Answer(status), Answer(HttpStatusCode.OK));
        await using var _ = services;

        using var response = await factory.CreateClient(RecordPointClient.HttpClientName).PostAsync("api/Items", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, handler.Sent.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.PreconditionFailed)]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task RecordPoint_answers_that_mean_something_are_not_retried_by_the_pipeline(HttpStatusCode status)
    {
        var (factory, handler, services) = Build(RecordPointClient.HttpClientName, Answer(status), Answer(HttpStatusCode.OK));
        await using var _ = services;

        using var response = await factory.CreateClient(RecordPointClient.HttpClientName).PostAsync("api/Items", new StringContent("{}"));

        Assert.Equal(status, response.StatusCode);
        Assert.Single(handler.Sent);
    }

    [Fact]
    public async Task RecordPoint_streamed_bodies_are_not_sent_twice()
    {
        var (factory, handler, services) = Build(RecordPointClient.HttpClientName, Answer(HttpStatusCode.ServiceUnavailable), Answer(HttpStatusCode.OK));
        await using var _ = services;

        using var response = await factory.CreateClient(RecordPointClient.HttpClientName).PostAsync("api/Binaries", new StreamContent(new MemoryStream([1, 2, 3])));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(handler.Sent);
    }

    /// <summary>Answers from a script, one entry per request, and records when each request arrived.</summary>
    private sealed class ScriptedHandler(Func<HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        private int next;

        public List<DateTimeOffset> Sent { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Sent)
            {
                Sent.Add(DateTimeOffset.UtcNow);
            }

            var answer = answers[Math.Min(Interlocked.Increment(ref next) - 1, answers.Length - 1)]();
            answer.RequestMessage = request;
            return Task.FromResult(answer);
        }
    }

    /// <summary>Answers each call (named by its <c>call</c> query parameter) by its attempt number, and records when each attempt arrived.</summary>
    private sealed class KeyedHandler(Func<string, int, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        private readonly Dictionary<string, List<DateTimeOffset>> sent = [];

        public int Attempts(string key)
        {
            lock (sent)
            {
                return sent.TryGetValue(key, out var times) ? times.Count : 0;
            }
        }

        public List<DateTimeOffset> SentAfterFirst(string key)
        {
            lock (sent)
            {
                return [.. sent[key].Skip(1)];
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var key = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query)["call"]!;
            int attempt;
            lock (sent)
            {
                if (!sent.TryGetValue(key, out var times))
                {
                    sent[key] = times = [];
                }

                times.Add(DateTimeOffset.UtcNow);
                attempt = times.Count;
            }

            var response = await answer(key, attempt);
            response.RequestMessage = request;
            return response;
        }
    }
}
