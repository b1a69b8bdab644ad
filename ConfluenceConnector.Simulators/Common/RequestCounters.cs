using System.Collections.Concurrent;

namespace ConfluenceConnector.Simulators.Common;

/// <summary>Thread-safe request counters, keyed by "METHOD /route/{template}".</summary>
public sealed class RequestCounters
{
    private readonly ConcurrentDictionary<string, long> _byRoute = new(StringComparer.Ordinal);
    private long _total;

    /// <summary>All requests received (including failed, injected-fault and unauthorised ones), except the simulators' <c>/_sim/</c> inspection routes.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Snapshot of the per-route counts, e.g. key "GET /wiki/api/v2/spaces/{id}/pages".</summary>
    public IReadOnlyDictionary<string, long> ByRoute => new Dictionary<string, long>(_byRoute, StringComparer.Ordinal);

    /// <summary>Count for one route key ("GET /wiki/api/v2/spaces"), 0 when never called.</summary>
    public long this[string route] => _byRoute.TryGetValue(route, out var n) ? n : 0;

    public void Reset()
    {
        _byRoute.Clear();
        Interlocked.Exchange(ref _total, 0);
    }

    internal void Record(string route)
    {
        Interlocked.Increment(ref _total);
        _byRoute.AddOrUpdate(route, 1, static (_, n) => n + 1);
    }
}
