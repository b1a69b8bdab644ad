using System.Net;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Confluence;

/// <summary>
/// Runs on every attempt of every Confluence call: before sending, waits as long as the shared
/// <see cref="ConfluenceBudget"/> (the quota's even spend) and <see cref="EndpointPacer"/> (this endpoint's turn, once it
/// has answered a burst 429) say; after the answer, feeds the budget with the rate-limit headers and the pacer with
/// the outcome: after a 429 short enough to wait out, every call to the same endpoint (only that one) is held for as
/// long as the 429 asked (Retry-After, X-RateLimit-Reset, else the first backoff step), and a burst 429 (not the
/// quota's) paces the endpoint from then on. When a 429 (or the budget) asks for a wait longer than
/// <c>Confluence:Resilience:MaxRetryAfter</c>, it throws <see cref="QuotaExhaustedException"/> so that the
/// orchestration waits on a durable timer instead of a worker.
/// </summary>
public sealed class ConfluenceRateLimitHandler(
    ConfluenceBudget budget,
    EndpointPacer pacer,
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

        var endpoint = EndpointPacer.EndpointOf(request);
        var turn = pacer.Reserve(endpoint);
        if (turn > delay)
        {
            delay = turn;
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
        }

        var cost = ConfluenceBudget.MostPoints(request);
        budget.Sent(cost);
        HttpResponseMessage response;
        DateTimeOffset now;
        RateLimitSignals signals;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            now = timeProvider.GetUtcNow();
            signals = RateLimitSignals.Read(response.Headers, now);
            budget.Observe(signals);
        }
        finally
        {
            budget.Answered(cost);
        }

        if (response.StatusCode != HttpStatusCode.TooManyRequests)
        {
            pacer.Accepted(endpoint);
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

        var hold = wait ?? settings.Resilience.RetryBaseDelay;
        if (signals.IsQuota)
        {
            pacer.Hold(endpoint, hold);
        }
        else
        {
            pacer.Throttled(endpoint, hold);
        }

        return response;
    }

    private TimeSpan ExhaustedDelay() =>
        budget.Current.ResetAt is { } reset && reset > timeProvider.GetUtcNow() ? reset - timeProvider.GetUtcNow() : TimeSpan.Zero;
}
