using ConfluenceConnector.Core.Confluence;
using Microsoft.Extensions.Time.Testing;

namespace ConfluenceConnector.Tests.Confluence;

public sealed class EndpointPacerTests
{
    private const string Downloads = "GET /wiki/rest/api/content/{id}/child/attachment/{id}/download";
    private const string Pages = "GET /wiki/api/v2/spaces/{id}/pages";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));

    /// <summary>Answers <paramref name="count"/> calls at <paramref name="endpoint"/> evenly over the last second.</summary>
    private void AcceptOverOneSecond(EndpointPacer pacer, string endpoint, int count)
    {
        for (var i = 0; i < count; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1.0 / count));
            pacer.Reserve(endpoint);
            pacer.Accepted(endpoint);
        }
    }

    [Fact]
    public void An_endpoint_that_never_answered_a_burst_429_is_never_delayed()
    {
        var pacer = new EndpointPacer(time);
        for (var i = 0; i < 1_000; i++)
        {
            Assert.Equal(TimeSpan.Zero, pacer.Reserve(Downloads));
            pacer.Accepted(Downloads);
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Null(pacer.RateOf(Downloads));
    }

    [Fact]
    public void A_burst_429_holds_the_endpoint_for_the_wait_then_spaces_its_calls_at_nine_tenths_of_the_rate_it_accepted()
    {
        var pacer = new EndpointPacer(time);
        AcceptOverOneSecond(pacer, Downloads, 100);

        pacer.Throttled(Downloads, TimeSpan.FromSeconds(1));

        Assert.Equal(90, pacer.RateOf(Downloads)!.Value, precision: 6);
        var spacing = TimeSpan.FromSeconds(1 / 90.0);
        Assert.Equal(TimeSpan.FromSeconds(1), pacer.Reserve(Downloads));
        Assert.Equal((TimeSpan.FromSeconds(1) + spacing).TotalMilliseconds, pacer.Reserve(Downloads).TotalMilliseconds, precision: 3);
        Assert.Equal((TimeSpan.FromSeconds(1) + (2 * spacing)).TotalMilliseconds, pacer.Reserve(Downloads).TotalMilliseconds, precision: 3);

        // Every other endpoint goes at once.
        Assert.Equal(TimeSpan.Zero, pacer.Reserve(Pages));
        Assert.Equal(TimeSpan.Zero, pacer.Reserve(Pages));
    }

    [Fact]
    public void The_429s_of_calls_already_in_flight_hold_but_do_not_lower_the_rate_again()
    {
        var pacer = new EndpointPacer(time);
        AcceptOverOneSecond(pacer, Downloads, 100);

        for (var i = 0; i < 30; i++)
        {
            pacer.Throttled(Downloads, TimeSpan.FromSeconds(1));
            time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.InRange(pacer.RateOf(Downloads)!.Value, 90, 90.1);

        // A 429 over a second later lowers it once more, from the lower of the paced rate and the accepted one.
        time.Advance(TimeSpan.FromSeconds(1));
        AcceptOverOneSecond(pacer, Downloads, 80);
        pacer.Throttled(Downloads, TimeSpan.FromSeconds(1));
        Assert.InRange(pacer.RateOf(Downloads)!.Value, (0.9 * 80) - 0.01, (0.9 * 80) + 0.01);
    }

    [Fact]
    public void A_429_of_a_quiet_endpoint_holds_it_without_pacing_it()
    {
        var pacer = new EndpointPacer(time);
        AcceptOverOneSecond(pacer, Downloads, 3);

        pacer.Throttled(Downloads, TimeSpan.FromSeconds(2));

        Assert.Null(pacer.RateOf(Downloads));
        Assert.Equal(TimeSpan.FromSeconds(2), pacer.Reserve(Downloads));
        Assert.Equal(TimeSpan.FromSeconds(2), pacer.Reserve(Downloads));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.Zero, pacer.Reserve(Downloads));
        Assert.Equal(TimeSpan.Zero, pacer.Reserve(Downloads));
    }

    [Fact]
    public void A_short_quota_429_holds_the_endpoint_without_pacing_it()
    {
        var pacer = new EndpointPacer(time);
        AcceptOverOneSecond(pacer, Pages, 100);

        pacer.Hold(Pages, TimeSpan.FromSeconds(3));

        Assert.Null(pacer.RateOf(Pages));
        Assert.Equal(TimeSpan.FromSeconds(3), pacer.Reserve(Pages));
        Assert.Equal(TimeSpan.FromSeconds(3), pacer.Reserve(Pages));
    }

    [Fact]
    public void The_paced_rate_creeps_up_without_429s_and_is_dropped_after_a_quiet_minute()
    {
        var pacer = new EndpointPacer(time);
        AcceptOverOneSecond(pacer, Downloads, 100);
        pacer.Throttled(Downloads, TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(90 * (1 + (EndpointPacer.Growth * 30)), pacer.RateOf(Downloads)!.Value, precision: 6);

        time.Advance(EndpointPacer.ForgetAfter - TimeSpan.FromSeconds(30));
        Assert.Null(pacer.RateOf(Downloads));
        Assert.Equal(TimeSpan.Zero, pacer.Reserve(Downloads));
        Assert.Equal(TimeSpan.Zero, pacer.Reserve(Downloads));
    }
}
