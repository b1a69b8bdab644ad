using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.Http;
using Microsoft.Extensions.Time.Testing;

namespace ConfluenceConnector.Tests.Confluence;

public sealed class ConfluenceBudgetTests
{
    private static readonly DateTimeOffset WindowStart = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private static RateLimitSignals Quota(long remaining, long limit = 10_000) =>
        RateLimitSignals.None with { Limit = limit, Remaining = remaining, ResetAt = WindowStart + Window, Window = Window };

    [Fact]
    public void Never_delays_before_any_quota_header_was_seen()
    {
        var budget = new ConfluenceBudget(new FakeTimeProvider(WindowStart));
        budget.Observe(RateLimitSignals.None with { RetryAfter = TimeSpan.FromSeconds(1) });
        Assert.Equal(TimeSpan.Zero, budget.DelayBeforeRequest());
    }

    [Fact]
    public void Spends_the_quota_evenly_over_the_window()
    {
        var time = new FakeTimeProvider(WindowStart + TimeSpan.FromMinutes(30));
        var budget = new ConfluenceBudget(time);

        // Half the window gone, a third of the quota spent: behind the pace, go now.
        budget.Observe(Quota(remaining: 6_667));
        Assert.Equal(TimeSpan.Zero, budget.DelayBeforeRequest());

        // 6,300 of the 9,000 paced points spent (70%) at 50% of the window: wait until 70% of the window.
        budget.Observe(Quota(remaining: 3_700));
        Assert.Equal(TimeSpan.FromMinutes(12), budget.DelayBeforeRequest());

        time.Advance(TimeSpan.FromMinutes(12));
        Assert.Equal(TimeSpan.Zero, budget.DelayBeforeRequest());
    }

    [Fact]
    public void Waits_for_the_reset_when_the_paced_share_is_spent_and_resumes_with_the_next_window()
    {
        var time = new FakeTimeProvider(WindowStart + TimeSpan.FromMinutes(50));
        var budget = new ConfluenceBudget(time);
        budget.Observe(Quota(remaining: 900));
        Assert.Equal(TimeSpan.FromMinutes(10), budget.DelayBeforeRequest());

        budget.Observe(Quota(remaining: 0));
        Assert.Equal(TimeSpan.FromMinutes(10), budget.DelayBeforeRequest());

        // An answer of the previous window arriving late never raises the count; the reset does.
        budget.Observe(Quota(remaining: 5_000));
        Assert.Equal(0, budget.Current.Remaining);
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(TimeSpan.Zero, budget.DelayBeforeRequest());
        budget.Observe(Quota(remaining: 9_990) with { ResetAt = WindowStart + Window + Window });
        Assert.Equal(9_990, budget.Current.Remaining);

        // 10 points at the very start of the new window are 4 s worth of the pace (3,600 s for 9,000 points).
        Assert.Equal(TimeSpan.FromSeconds(4), budget.DelayBeforeRequest());
    }

    [Fact]
    public void An_answer_of_the_previous_window_arriving_after_the_reset_does_not_stop_the_new_window()
    {
        var time = new FakeTimeProvider(WindowStart + Window + TimeSpan.FromSeconds(30));
        var budget = new ConfluenceBudget(time);
        budget.Observe(Quota(remaining: 9_990) with { ResetAt = WindowStart + Window + Window });

        // Sent just before the reset, with the old window nearly spent.
        budget.Observe(Quota(remaining: 50));

        Assert.Equal(9_990, budget.Current.Remaining);
        Assert.Equal(WindowStart + Window + Window, budget.Current.ResetAt);
        Assert.Equal(TimeSpan.Zero, budget.DelayBeforeRequest());
    }

    [Fact]
    public void Calls_in_flight_count_at_the_most_they_can_cost_until_they_are_answered()
    {
        var time = new FakeTimeProvider(WindowStart + TimeSpan.FromMinutes(30));
        var budget = new ConfluenceBudget(time);
        budget.Observe(Quota(remaining: 6_000));
        Assert.Equal(TimeSpan.Zero, budget.DelayBeforeRequest());

        // 4,000 spent and 3 lists of 250 in flight (753 points at most): 4,753 of the 9,000 paced points are due at
        // 1,901.2 s of the window, 101.2 s from now.
        using var list = new HttpRequestMessage(HttpMethod.Get, "https://acme.atlassian.net/wiki/api/v2/footer-comments?cursor=abc&limit=250");
        var cost = ConfluenceBudget.MostPoints(list);
        Assert.Equal(251, cost);
        for (var i = 0; i < 3; i++)
        {
            budget.Sent(cost);
        }

        Assert.InRange(budget.DelayBeforeRequest().TotalSeconds, 101.1, 101.3);

        for (var i = 0; i < 3; i++)
        {
            budget.Answered(cost);
        }

        Assert.Equal(TimeSpan.Zero, budget.DelayBeforeRequest());
    }

    [Theory]
    [InlineData("https://acme.atlassian.net/wiki/api/v2/spaces/98304/pages?body-format=storage&limit=250", 251)]
    [InlineData("https://acme.atlassian.net/wiki/api/v2/pages/65601/labels?limit=25&cursor=x", 26)]
    [InlineData("https://acme.atlassian.net/wiki/download/attachments/65601/report.pdf?version=2&api=v2", 2)]
    [InlineData("https://acme.atlassian.net/wiki/api/v2/pages/65601", 2)]
    public void The_most_a_call_can_cost_is_one_point_and_one_per_object_it_asks_for(string uri, long points)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        Assert.Equal(points, ConfluenceBudget.MostPoints(request));
    }

    [Fact]
    public void Without_a_known_limit_only_a_spent_quota_delays()
    {
        var time = new FakeTimeProvider(WindowStart + TimeSpan.FromMinutes(59));
        var budget = new ConfluenceBudget(time);
        budget.Observe(Quota(remaining: 5) with { Limit = null });
        Assert.Equal(TimeSpan.Zero, budget.DelayBeforeRequest());
        budget.Observe(Quota(remaining: 0) with { Limit = null });
        Assert.Equal(TimeSpan.FromMinutes(1), budget.DelayBeforeRequest());
    }
}
