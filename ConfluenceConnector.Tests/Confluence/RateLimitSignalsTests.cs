using System.Net;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.Http;

namespace ConfluenceConnector.Tests.Confluence;

public sealed class RateLimitSignalsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 15, 0, TimeSpan.Zero);

    private static RateLimitSignals Read(params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return RateLimitSignals.Read(response.Headers, Now);
    }

    [Fact]
    public void Reads_the_quota_headers_of_an_enforced_oauth_app()
    {
        var signals = Read(
            ("Retry-After", "2700"),
            ("X-RateLimit-Limit", "65000"),
            ("X-RateLimit-Remaining", "0"),
            ("X-RateLimit-Reset", "2026-03-02T11:00:00Z"),
            ("X-RateLimit-NearLimit", "true"),
            ("RateLimit-Reason", "confluence-quota-global-based"),
            ("RateLimit-Policy", "\"global-app-quota\";q=65000;w=3600"),
            ("RateLimit", "\"global-app-quota\";r=0;t=2700"));

        Assert.Equal(TimeSpan.FromSeconds(2700), signals.RetryAfter);
        Assert.Equal(65000, signals.Limit);
        Assert.Equal(0, signals.Remaining);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 11, 0, 0, TimeSpan.Zero), signals.ResetAt);
        Assert.Equal(TimeSpan.FromHours(1), signals.Window);
        Assert.True(signals.NearLimit);
        Assert.True(signals.IsQuota);
        Assert.True(signals.HasQuota);
    }

    [Fact]
    public void Reads_the_structured_fields_alone_and_the_beta_prefixed_forms()
    {
        var signals = Read(
            ("Beta-Retry-After", "12"),
            ("Beta-RateLimit-Policy", "\"global-app-quota\";q=40000;w=3600"),
            ("Beta-RateLimit", "\"burst\";r=90;t=1, \"global-app-quota\";r=1200;t=600"),
            ("Beta-RateLimit-Reason", "Confluence-Quota-Tenant-Based"));

        Assert.Equal(TimeSpan.FromSeconds(12), signals.RetryAfter);
        Assert.Equal(40000, signals.Limit);
        Assert.Equal(90, signals.Remaining);
        Assert.Equal(Now + TimeSpan.FromSeconds(1), signals.ResetAt);
        Assert.True(signals.IsQuota);
    }

    [Fact]
    public void A_429_without_retry_after_falls_back_to_the_reset_time_and_then_to_backoff()
    {
        var withReset = Read(("X-RateLimit-Reset", "2026-03-02T10:15:20Z"));
        Assert.Equal(TimeSpan.FromSeconds(20), withReset.RetryDelay(throttled: true, Now));

        // The reset time only answers a 429: a 503 carrying quota headers is backed off, not parked until the reset.
        Assert.Null(withReset.RetryDelay(throttled: false, Now));
        Assert.Null(Read().RetryDelay(throttled: true, Now));
        Assert.False(Read().HasQuota);
        Assert.False(Read(("RateLimit-Reason", "confluence-burst-based")).IsQuota);
    }

    [Fact]
    public void Retry_after_may_be_an_http_date_and_reset_may_be_epoch_seconds()
    {
        var signals = Read(("Retry-After", Now.AddSeconds(45).ToString("R")), ("X-RateLimit-Reset", Now.AddMinutes(5).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(TimeSpan.FromSeconds(45), signals.RetryAfter);
        Assert.Equal(Now.AddMinutes(5), signals.ResetAt);
    }

    [Fact]
    public void Garbage_is_ignored_not_thrown()
    {
        var signals = Read(("Retry-After", "soon"), ("X-RateLimit-Remaining", "many"), ("RateLimit", "r=;t"), ("X-RateLimit-Reset", "tomorrow"));
        Assert.Equal(RateLimitSignals.None, signals);
    }

    [Fact]
    public void The_resume_time_survives_the_activity_boundary_in_the_message()
    {
        var resumeAt = new DateTimeOffset(2026, 3, 2, 11, 0, 0, 250, TimeSpan.Zero);
        var message = new QuotaExhaustedException(resumeAt, "confluence-quota-global-based").Message;

        Assert.Equal(resumeAt, QuotaExhaustedException.TryReadResumeAt("Activity failed: " + message));
        Assert.Null(QuotaExhaustedException.TryReadResumeAt("no time here"));
    }
}
