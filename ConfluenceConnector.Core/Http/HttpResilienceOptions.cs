namespace ConfluenceConnector.Core.Http;

/// <summary>
/// Retry and timeout settings of one HTTP client (<c>Confluence:Resilience:*</c>, <c>RecordPoint:Resilience:*</c>):
/// jittered exponential backoff for transient answers, waits asked for by the server honoured up to a cap.
/// </summary>
public sealed class HttpResilienceOptions
{
    /// <summary>Retries after the first attempt (1 to 20).</summary>
    public int MaxRetries { get; set; } = 6;

    /// <summary>First backoff delay; it doubles (with jitter) on each retry.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest backoff delay between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest wait a server may ask for (Retry-After, X-RateLimit-Reset, wait-until-time) that is waited inside a call.
    /// Confluence: a longer wait (the hourly quota spent) pauses the whole sync on a durable timer instead.
    /// RecordPoint: longer waits are cut to this before the next attempt.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time limit of one attempt (until the response headers arrive; a 250-page listing with bodies fits).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Time limit of one call, every attempt and wait included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Validation failures, each naming the setting under <paramref name="prefix"/> and the accepted range.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (MaxRetries is < 1 or > 20)
        {
            yield return $"{prefix}:MaxRetries {MaxRetries} is out of range: use 1 to 20, e.g. 6.";
        }

        foreach (var (name, value, max) in new[]
                 {
                     ("RetryBaseDelay", RetryBaseDelay, TimeSpan.FromMinutes(1)),
                     ("MaxRetryDelay", MaxRetryDelay, TimeSpan.FromMinutes(10)),
                     ("MaxRetryAfter", MaxRetryAfter, TimeSpan.FromMinutes(30)),
                     ("AttemptTimeout", AttemptTimeout, TimeSpan.FromHours(1)),
                     ("TotalTimeout", TotalTimeout, TimeSpan.FromHours(2)),
                 })
        {
            if (value <= TimeSpan.Zero || value > max)
            {
                yield return $"{prefix}:{name} '{value}' is out of range: use a time span above 00:00:00 and at most {max:c}.";
            }
        }

        if (AttemptTimeout > TotalTimeout)
        {
            yield return $"{prefix}:AttemptTimeout '{AttemptTimeout}' must not exceed {prefix}:TotalTimeout '{TotalTimeout}'.";
        }
    }
}
