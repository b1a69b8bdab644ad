namespace ConfluenceConnector.Core.Confluence;

/// <summary>
/// Confluence requests and rate-limit points spent by the code running under one <see cref="Begin"/> (an activity),
/// counted the way Confluence counts them: 1 point per request plus 1 per object returned.
/// </summary>
public sealed class ConfluenceUsage
{
    private static readonly AsyncLocal<ConfluenceUsage?> Current = new();
    private long requests;
    private long objects;

    public long Requests => Interlocked.Read(ref requests);

    public long Objects => Interlocked.Read(ref objects);

    public long Points => Requests + Objects;

    /// <summary>Starts counting for the calling async flow (and everything it awaits or starts).</summary>
    public static ConfluenceUsage Begin()
    {
        var usage = new ConfluenceUsage();
        Current.Value = usage;
        return usage;
    }

    internal static void CountRequest()
    {
        if (Current.Value is { } usage)
        {
            Interlocked.Increment(ref usage.requests);
        }
    }

    internal static void CountObjects(int count)
    {
        if (Current.Value is { } usage)
        {
            Interlocked.Add(ref usage.objects, count);
        }
    }
}

/// <summary>Counts every Confluence API request (each retry attempt included) into the current <see cref="ConfluenceUsage"/>.</summary>
public sealed class ConfluenceUsageHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ConfluenceUsage.CountRequest();
        return base.SendAsync(request, cancellationToken);
    }
}
