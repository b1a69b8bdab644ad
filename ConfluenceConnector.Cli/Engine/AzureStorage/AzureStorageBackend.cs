using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging;

namespace ConfluenceConnector.Cli.Engine.AzureStorage;

/// <summary>
/// The Durable Functions backend, DurableTask.AzureStorage, set up for the in-process sidecar: its two adaptations
/// (<see cref="ProtobufMapTypeBinder"/>, <see cref="SubOrchestrationEventRewriter{TInner}"/>), a worker id of its own
/// per process (several runners share one hub), leases short enough that a killed runner's partitions move to a
/// live one within about 15 seconds, and a start refused (not silently dropped) when its dedupe statuses match.
/// </summary>
internal static class AzureStorageBackend
{
    /// <summary>Creates the task hub's queues, tables and containers when missing and returns the adapted backend.</summary>
    public static async Task<SubOrchestrationEventRewriter<AzureStorageOrchestrationService>> CreateAsync(EngineOptions options, ILoggerFactory loggerFactory)
    {
        var service = new AzureStorageOrchestrationService(Settings(options, loggerFactory));
        await service.CreateIfNotExistsAsync().ConfigureAwait(false);
        return new SubOrchestrationEventRewriter<AzureStorageOrchestrationService>(service);
    }

    /// <summary>The backend settings derived from <c>Engine:*</c>.</summary>
    public static AzureStorageOrchestrationServiceSettings Settings(EngineOptions options, ILoggerFactory loggerFactory) => new()
    {
        TaskHubName = options.TaskHub,
        StorageAccountClientProvider = new StorageAccountClientProvider(options.StorageConnectionString!),
        WorkerId = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}",
        LoggerFactory = loggerFactory,
        CustomMessageTypeBinder = new ProtobufMapTypeBinder(),
        WorkItemQueueVisibilityTimeout = options.WorkItemVisibilityTimeout,
        ControlQueueVisibilityTimeout = options.WorkItemVisibilityTimeout,
        MaxConcurrentTaskActivityWorkItems = options.MaxActivities,
        MaxConcurrentTaskOrchestrationWorkItems = options.MaxOrchestrations,
        MaxQueuePollingInterval = TimeSpan.FromSeconds(2),
        LeaseInterval = TimeSpan.FromSeconds(15),
        LeaseRenewInterval = TimeSpan.FromSeconds(5),
        LeaseAcquireInterval = TimeSpan.FromSeconds(5),
        ThrowExceptionOnInvalidDedupeStatus = true,
    };
}
