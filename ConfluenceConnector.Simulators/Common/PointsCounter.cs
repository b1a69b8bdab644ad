using System.Collections.Concurrent;

namespace ConfluenceConnector.Simulators.Common;

/// <summary>
/// Rate-limit points as Confluence Cloud counts them: 1 per API request plus 1 per core object returned
/// (page, blog post, space, comment, attachment, label).
/// </summary>
public sealed class PointsCounter
{
    private long _requests;
    private long _objects;
    private readonly ConcurrentDictionary<string, long> _objectsByRoute = new(StringComparer.Ordinal);

    /// <summary>Points used: requests + objects returned.</summary>
    public long Total => Requests + Objects;

    /// <summary>API requests counted (the media host is not the Confluence API and costs nothing).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Objects returned by those requests.</summary>
    public long Objects => Interlocked.Read(ref _objects);

    /// <summary>Snapshot of the objects returned per route, keyed as <see cref="RequestCounters"/> are ("GET /wiki/api/v2/spaces/{id}/pages").</summary>
    public IReadOnlyDictionary<string, long> ObjectsByRoute => new Dictionary<string, long>(_objectsByRoute, StringComparer.Ordinal);

    public void Reset()
    {
        _objectsByRoute.Clear();
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _objects, 0);
    }

    internal void Request() => Interlocked.Increment(ref _requests);

    internal void Returned(HttpContext http, int objects)
    {
        Interlocked.Add(ref _objects, objects);
        _objectsByRoute.AddOrUpdate(SimulatorHost.RouteKey(http), objects, (_, n) => n + objects);
    }
}
