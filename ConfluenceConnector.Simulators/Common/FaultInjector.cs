using Microsoft.AspNetCore.Http;

namespace ConfluenceConnector.Simulators.Common;

/// <summary>Queue of "answer the next N matching requests with this status" rules.</summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<FaultRule> _rules = [];

    public void FailNext(Func<HttpRequest, bool> match, int statusCode, int times = 1, IReadOnlyDictionary<string, string>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (_gate)
        {
            _rules.Add(new FaultRule(match, statusCode, times, headers));
        }
    }

    /// <summary>Number of injected faults not yet consumed.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _rules.Sum(r => r.Remaining);
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    internal FaultRule? TryTake(HttpRequest request)
    {
        lock (_gate)
        {
            for (var i = 0; i < _rules.Count; i++)
            {
                var rule = _rules[i];
                if (!rule.Match(request))
                {
                    continue;
                }

                rule.Remaining--;
                if (rule.Remaining <= 0)
                {
                    _rules.RemoveAt(i);
                }

                return rule;
            }
        }

        return null;
    }

    internal sealed class FaultRule(Func<HttpRequest, bool> match, int statusCode, int times, IReadOnlyDictionary<string, string>? headers)
    {
        public Func<HttpRequest, bool> Match { get; } = match;
        public int StatusCode { get; } = statusCode;
        public int Remaining { get; set; } = times;
        public IReadOnlyDictionary<string, string>? Headers { get; } = headers;
    }
}
