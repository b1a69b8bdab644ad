using System.Collections.Concurrent;
using System.Net;
using ConfluenceConnector.Simulators.Common;
using ConfluenceConnector.Simulators.Confluence;
using ConfluenceConnector.Simulators.RecordPoint;
using Microsoft.Extensions.Time.Testing;
using static ConfluenceConnector.Tests.Simulators.SimTestHelpers;

namespace ConfluenceConnector.Tests.Simulators;

/// <summary>
/// The simulators' network features the latency benchmark relies on, driven by a fake clock: each call's round trip
/// (latency ± jitter) and Confluence's per-endpoint burst limit.
/// </summary>
public sealed class SimulatedNetworkTests
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Confluence_answers_each_call_after_its_latency_within_the_jitter()
    {
        var clock = new TimerWatchingClock();
        var profile = new FaultProfile { Name = "latency", Latency = TimeSpan.FromMilliseconds(100), LatencyJitter = TimeSpan.FromMilliseconds(30) };
        await using var sim = await ConfluenceSimulator.StartAsync(
            ConfluenceSiteGenerator.Generate(new SiteSpec { Seed = 5, Spaces = 1, PagesPerSpace = 3 }),
            new ConfluenceSimulatorOptions { Faults = profile, TimeProvider = clock });
        using var client = ConfluenceClient(sim);

        await AssertRoundTripsAsync(clock, () => client.GetAsync("/wiki/api/v2/spaces"), TimeSpan.FromMilliseconds(70), TimeSpan.FromMilliseconds(130));
    }

    [Fact]
    public async Task RecordPoint_answers_each_call_after_its_latency_within_the_jitter()
    {
        var clock = new TimerWatchingClock();
        var profile = new FaultProfile { Name = "latency", RecordPointLatency = TimeSpan.FromMilliseconds(50), RecordPointLatencyJitter = TimeSpan.FromMilliseconds(15) };
        await using var sim = await RecordPointSimulator.StartAsync(new RecordPointSimulatorOptions { Faults = profile, TimeProvider = clock });
        using var client = new HttpClient { BaseAddress = sim.BaseUrl };

        await AssertRoundTripsAsync(clock, () => client.GetAsync("connector/api/Notifications/c0ffee00-0000-4000-8000-000000000001"), TimeSpan.FromMilliseconds(35), TimeSpan.FromMilliseconds(65));
    }

    [Fact]
    public async Task Confluence_burst_limit_refuses_an_endpoints_calls_beyond_its_rate_within_one_second_and_no_other_endpoints()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
        var profile = new FaultProfile { Name = "burst limit", BurstPerSecond = 3 };
        await using var sim = await ConfluenceSimulator.StartAsync(
            ConfluenceSiteGenerator.Generate(new SiteSpec { Seed = 5, Spaces = 1, PagesPerSpace = 3 }),
            new ConfluenceSimulatorOptions { Faults = profile, TimeProvider = clock });
        using var client = ConfluenceClient(sim);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/wiki/api/v2/pages?limit=1")).StatusCode);
        }

        var refused = await client.GetAsync("/wiki/api/v2/pages?limit=1");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("1", Assert.Single(refused.Headers.GetValues("Retry-After")));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/wiki/api/v2/spaces")).StatusCode);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/wiki/api/v2/pages?limit=1")).StatusCode);
        Assert.Equal(1, sim.InjectedFaults["429 burst limit"]);
    }

    /// <summary>
    /// Sends calls side by side and checks that each waits on one timer of the clock due within [shortest, longest],
    /// that none is answered before the clock moves, and that all are answered once it has moved by the longest.
    /// </summary>
    private static async Task AssertRoundTripsAsync(TimerWatchingClock clock, Func<Task<HttpResponseMessage>> call, TimeSpan shortest, TimeSpan longest)
    {
        const int calls = 12;
        var answers = Enumerable.Range(0, calls).Select(_ => call()).ToList();

        var delays = await clock.WaitForTimersAsync(calls).WaitAsync(WaitLimit);

        Assert.All(delays, d => Assert.InRange(d, shortest, longest));
        Assert.True(delays.Distinct().Count() > 1, "the jitter draws a round trip per call");
        Assert.DoesNotContain(answers, a => a.IsCompleted);
        clock.Advance(longest);
        foreach (var answer in answers)
        {
            Assert.Equal(HttpStatusCode.OK, (await answer.WaitAsync(WaitLimit)).StatusCode);
        }
    }

    /// <summary>A fake clock that tells when the wanted number of timers have been started on it, and their due times.</summary>
    private sealed class TimerWatchingClock : FakeTimeProvider
    {
        private readonly ConcurrentQueue<TimeSpan> dueTimes = new();
        private readonly ConcurrentQueue<(int Count, TaskCompletionSource<IReadOnlyList<TimeSpan>> Done)> waiters = new();

        public Task<IReadOnlyList<TimeSpan>> WaitForTimersAsync(int count)
        {
            var done = new TaskCompletionSource<IReadOnlyList<TimeSpan>>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Enqueue((count, done));
            Release();
            return done.Task;
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            dueTimes.Enqueue(dueTime);
            Release();
            return timer;
        }

        private void Release()
        {
            var started = dueTimes.ToArray();
            foreach (var (count, done) in waiters)
            {
                if (started.Length >= count)
                {
                    done.TrySetResult(started);
                }
            }
        }
    }
}
