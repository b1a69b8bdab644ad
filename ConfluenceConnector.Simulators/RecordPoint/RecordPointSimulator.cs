using ConfluenceConnector.Simulators.Common;

namespace ConfluenceConnector.Simulators.RecordPoint;

public sealed class RecordPointSimulatorOptions
{
    /// <summary>GetSASToken answers 405, so the connector must use the legacy streaming POST api/Binaries.</summary>
    public bool LegacyBinaryPathOnly { get; set; }

    public long MaxFileSize { get; set; } = 100L * 1024 * 1024;

    /// <summary>When set, /connector calls need "Authorization: Bearer {token}" (else 401); null accepts any or none.</summary>
    public string? ExpectedBearerToken { get; set; }

    /// <summary>Null or 0 = OS-chosen port on 127.0.0.1.</summary>
    public int? Port { get; set; }

    /// <summary>
    /// Whether received binaries keep their bytes (<see cref="BinaryVersion.Content"/>). Off, a committed binary keeps
    /// only its size and metadata and its blob is dropped, so that a large site (a benchmark) does not fill memory.
    /// </summary>
    public bool KeepBinaryContent { get; set; } = true;

    /// <summary>Faults injected on Connector API calls (429 + wait-until-time, 412 on binaries, 503); null = none.</summary>
    public FaultProfile? Faults { get; set; }

    /// <summary>Clock of the injected throttle.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>A fake RecordPoint Connector API (basePath /connector) plus the blob storage its SAS urls point at.</summary>
public sealed class RecordPointSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FaultInjector _faults;
    private int _disposed;

    private RecordPointSimulator(WebApplication app, Uri baseUrl, RecordPointStore store, RecordPointSimulatorOptions options, RequestCounters requests, FaultInjector faults)
    {
        _app = app;
        BaseUrl = baseUrl;
        Store = store;
        Options = options;
        Requests = requests;
        _faults = faults;
    }

    /// <summary>Root, e.g. http://127.0.0.1:5124/; the API is under {BaseUrl}connector/api/...</summary>
    public Uri BaseUrl { get; }

    public RecordPointStore Store { get; }

    public RecordPointSimulatorOptions Options { get; }

    public RequestCounters Requests { get; }

    /// <summary>Faults the profile injected, by kind ("429", "412", "503"), and calls sent while throttled.</summary>
    public required RequestCounters InjectedFaults { get; init; }

    public static async Task<RecordPointSimulator> StartAsync(RecordPointSimulatorOptions? options = null, CancellationToken ct = default)
    {
        options ??= new RecordPointSimulatorOptions();
        var counters = new RequestCounters();
        var faults = new FaultInjector();
        var store = new RecordPointStore();
        var api = new RecordPointApi(store, options, new SimBlobStorage());
        var injected = new RequestCounters();
        var profileFaults = options.Faults is { } profile ? new RecordPointFaults(profile, injected, options.TimeProvider) : null;

        var (app, baseUrl) = await SimulatorHost.StartAsync(
            options.Port,
            counters,
            faults,
            (http, fault) => http.Request.Path.StartsWithSegments("/" + SimBlobStorage.Account)
                ? http.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>InjectedFault</Code><Message>Injected fault {fault.StatusCode}</Message></Error>")
                : RecordPointApi.WriteErrorAsync(http, fault.StatusCode, fault.StatusCode == 429 ? "TooManyRequests" : "InjectedFault", $"Injected fault {fault.StatusCode}."),
            async http =>
            {
                if (profileFaults is not null && !await profileFaults.PassAsync(http))
                {
                    return false;
                }

                if (options.ExpectedBearerToken is null || !http.Request.Path.StartsWithSegments("/connector"))
                {
                    return true;
                }

                if (string.Equals(http.Request.Headers.Authorization.ToString(), "Bearer " + options.ExpectedBearerToken, StringComparison.Ordinal))
                {
                    return true;
                }

                await SimulatorHost.DrainAsync(http);
                await RecordPointApi.WriteErrorAsync(http, 401, "Unauthorized", "The bearer token is missing or invalid.");
                return false;
            },
            app =>
            {
                SubmissionEndpoints.Map(app, api);
                BinariesEndpoints.Map(app, api);
                ConfigurationEndpoints.Map(app, api);
                api.Blobs.Map(app);
                SimQueryEndpoints.Map(app, api);
                SimStats.MapRecordPoint(app, store, counters, injected);
            },
            ct);
        return new RecordPointSimulator(app, baseUrl, store, options, counters, faults) { InjectedFaults = injected };
    }

    /// <summary>
    /// Answers the next <paramref name="times"/> requests matching <paramref name="match"/> with <paramref name="statusCode"/> and an
    /// ErrorResponseModel (XML error for blob-storage paths) instead of the real answer; optional extra headers (e.g. wait-until-time for 429).
    /// </summary>
    public void FailNext(Func<HttpRequest, bool> match, int statusCode, int times = 1, IReadOnlyDictionary<string, string>? headers = null) =>
        _faults.FailNext(match, statusCode, times, headers);

    public int PendingFaults => _faults.Pending;

    public void ClearFaults() => _faults.Clear();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await SimulatorHost.StopAsync(_app);
        }
    }
}
