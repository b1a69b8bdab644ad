using System.Net;
using ConfluenceConnector.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace ConfluenceConnector.Core.Http;

/// <summary>
/// The retry pipelines of the connector's HTTP clients (Microsoft.Extensions.Http.Resilience): a total timeout, retries
/// with jittered exponential backoff, and a per-attempt timeout. Waits the server asks for are honoured up to a cap.
/// </summary>
internal static class ResiliencePipelines
{
    /// <summary>
    /// Confluence: 429, 5xx, 408, timeouts and dropped connections are retried; the delay is Retry-After (any answer)
    /// or X-RateLimit-Reset (a 429), else the backoff. Longer waits never get here: the rate-limit handler turns them
    /// into <c>QuotaExhaustedException</c>, which is not retried.
    /// </summary>
    public static IHttpClientBuilder AddConfluenceResilience(this IHttpClientBuilder builder)
    {
        builder.AddResilienceHandler("confluence", (pipeline, context) =>
        {
            var settings = context.ServiceProvider.GetRequiredService<IOptions<ConfluenceOptions>>().Value.Resilience;
            var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
            AddPipeline(pipeline, settings, args =>
            {
                if (args.Outcome.Result is not { } response)
                {
                    return null;
                }

                var wait = RateLimitSignals.Read(response.Headers, time.GetUtcNow()).RetryDelay(response.StatusCode == HttpStatusCode.TooManyRequests, time.GetUtcNow());
                return wait > settings.MaxRetryAfter ? settings.MaxRetryAfter : wait;
            });
        });
        return builder;
    }

    /// <summary>
    /// RecordPoint Connector API: 408, 429, 5xx, timeouts and dropped connections are retried. After a 429 the retry
    /// goes at once: the throttle handler inside holds it (and every other call) until <c>wait-until-time</c>.
    /// Requests with a streamed body (the legacy binary POST) cannot be sent twice and are not retried here; the
    /// RecordPoint client reopens their content and tries again.
    /// </summary>
    public static IHttpClientBuilder AddRecordPointResilience(this IHttpClientBuilder builder)
    {
        builder.AddResilienceHandler("recordpoint", (pipeline, context) =>
        {
            var settings = context.ServiceProvider.GetRequiredService<IOptions<RecordPointOptions>>().Value.Resilience;
            AddPipeline(pipeline, settings, args => args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests ? TimeSpan.Zero : null);
        });
        return builder;
    }

    private static void AddPipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, HttpResilienceOptions settings, Func<RetryDelayGeneratorArguments<HttpResponseMessage>, TimeSpan?> delay) =>
        pipeline
            .AddTimeout(settings.TotalTimeout)
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = settings.MaxRetryDelay,
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(args.Context.GetRequestMessage()?.Content is not StreamContent && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(delay(args)),
            })
            .AddTimeout(settings.AttemptTimeout);
}
