using System.Net;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Confluence;

/// <summary>
/// Runs on every attempt of every Confluence call: before sending, waits as long as the shared
/// <see cref="ConfluenceBudget"/> says (pacing, and a hold on this endpoint after a burst 429 there); after the answer,
/// feeds the budget with the rate-limit headers, and after a 429 short enough to wait out it holds back every call to
/// the same endpoint (only that one) for as long as the 429 asked (Retry-After, X-RateLimit-Reset, else the first
/// backoff step). When a
/// 429 (or the budget) asks for a wait longer than <c>Confluence:Resilience:MaxRetryAfter</c>, it throws
/// <see cref="QuotaExhaustedException"/> so that the orchestration waits on a durable timer instead of a worker.
/// </summary>
public sealed class ConfluenceRateLimitHandler(
    ConfluenceBudget budget,
    TimeProvider timeProvider,
    IOptions<ConfluenceOptions> options,
    ILogger<ConfluenceRateLimitHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var cap = settings.Resilience.MaxRetryAfter;
        var delay = settings.Pacing ? budget.DelayBeforeRequest() : budget.Current.Remaining <= 0 ? ExhaustedDelay() : TimeSpan.Zero;
        if (delay > cap)
        {
            throw new QuotaExhaustedException(timeProvider.GetUtcNow() + delay, "paced: the quota left does not last until the reset");
        }

        var endpoint = ConfluenceBudget.EndpointOf(request);
        var held = budget.EndpointDelay(endpoint);
        if (held > delay)
        {
            delay = held;
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        var signals = RateLimitSignals.Read(response.Headers, now);
        budget.Observe(signals);
        if (response.StatusCode != HttpStatusCode.TooManyRequests)
        {
            return response;
        }

        var wait = signals.RetryDelay(throttled: true, now);
        logger.LogWarning(
            "Confluence answered 429 to {Method} {Path} ({Reason}); wait asked: {Wait}",
            request.Method, request.RequestUri?.AbsolutePath, signals.Reason ?? "no reason given", wait?.ToString() ?? "none (backoff)");
        if (wait > cap)
        {
            response.Dispose();
            throw new QuotaExhaustedException(now + wait.Value, signals.Reason);
        }

        budget.HoldEndpoint(endpoint, wait ?? settings.Resilience.RetryBaseDelay);
        return response;
    }

    private TimeSpan ExhaustedDelay() =>
        budget.Current.ResetAt is { } reset && reset > timeProvider.GetUtcNow() ? reset - timeProvider.GetUtcNow() : TimeSpan.Zero;
}
