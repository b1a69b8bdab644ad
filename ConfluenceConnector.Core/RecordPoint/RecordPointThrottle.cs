using System.Globalization;
using System.Net;
using ConfluenceConnector.Core.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.RecordPoint;

/// <summary>
/// RecordPoint's throttle, shared by every submission of the process: after a 429 with <c>wait-until-time</c>, no
/// Connector API call is sent before that time.
/// </summary>
public sealed class RecordPointThrottle(TimeProvider timeProvider)
{
    private long untilUtcTicks;
    private long holds;

    /// <summary>The time before which nothing is sent (in the past when not throttled).</summary>
    public DateTimeOffset Until => new(Interlocked.Read(ref untilUtcTicks), TimeSpan.Zero);

    /// <summary>How many 429s have been reported so far: a call that sees this change while it was in flight was caught by another call's throttle.</summary>
    public long Holds => Interlocked.Read(ref holds);

    /// <summary>Holds every call until <paramref name="until"/> (a later hold wins; an earlier one is ignored).</summary>
    public void Hold(DateTimeOffset until)
    {
        Interlocked.Increment(ref holds);
        var ticks = until.UtcTicks;
        long seen;
        while ((seen = Interlocked.Read(ref untilUtcTicks)) < ticks && Interlocked.CompareExchange(ref untilUtcTicks, ticks, seen) != seen)
        {
        }
    }

    /// <summary>Completes when calls may be sent.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        while ((wait = Until - timeProvider.GetUtcNow()) > TimeSpan.Zero)
        {
            await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// Runs on every attempt of every Connector API call: waits for the shared <see cref="RecordPointThrottle"/>, and on a
/// 429 holds it until RecordPoint's <c>wait-until-time</c> (30 s when absent; at most
/// <c>RecordPoint:Resilience:MaxRetryAfter</c> from now). The retry pipeline then sends the call again. A call that was
/// already on its way when another call's 429 started the throttle was refused for the same reason: it waits and is sent
/// again here, without spending one of the pipeline's retries (with many submissions in flight, one throttle would
/// otherwise cost each of them an attempt, and a record its last one).
/// </summary>
public sealed class RecordPointThrottleHandler(
    RecordPointThrottle throttle,
    TimeProvider timeProvider,
    IOptions<RecordPointOptions> options,
    ILogger<RecordPointThrottleHandler> logger) : DelegatingHandler
{
    /// <summary>The header of a 429 that says until when to wait.</summary>
    public const string WaitUntilTimeHeader = "wait-until-time";

    /// <summary>The wait when a 429 does not say.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        while (true)
        {
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            var holdsBefore = throttle.Holds;
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.TooManyRequests)
            {
                return response;
            }

            var now = timeProvider.GetUtcNow();
            var asked = ReadWaitUntil(response) ?? now + DefaultWait;
            var cap = now + options.Value.Resilience.MaxRetryAfter;
            var until = asked > cap ? cap : asked;
            var caughtInFlight = throttle.Holds != holdsBefore;
            throttle.Hold(until);
            if (!caughtInFlight || request.Content is StreamContent)
            {
                logger.LogWarning("RecordPoint answered 429 to {Method} {Path}: every submission waits until {Until:O}", request.Method, request.RequestUri?.AbsolutePath, until);
                return response;
            }

            logger.LogDebug("RecordPoint answered 429 to {Method} {Path}, sent before the throttle was known: sent again after {Until:O}", request.Method, request.RequestUri?.AbsolutePath, until);
            response.Dispose();
        }
    }

    private static DateTimeOffset? ReadWaitUntil(HttpResponseMessage response) =>
        response.Headers.TryGetValues(WaitUntilTimeHeader, out var values)
        && DateTimeOffset.TryParse(values.FirstOrDefault(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var until)
            ? until
            : null;
}
