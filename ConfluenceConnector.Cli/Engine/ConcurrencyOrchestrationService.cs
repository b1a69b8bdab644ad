using DurableTask.Core;
using DurableTask.Core.Query;

namespace ConfluenceConnector.Cli.Engine;

/// <summary>
/// Sets how many orchestration and activity work items the sidecar's dispatchers run at once (the in-memory backend
/// fixes both at the processor count, two on a small machine). Everything else passes straight through.
/// </summary>
internal sealed class ConcurrencyOrchestrationService<TInner>(TInner inner, int maxOrchestrations, int maxActivities)
    : ForwardingOrchestrationService<TInner>(inner)
    where TInner : IOrchestrationService, IOrchestrationServiceClient, IOrchestrationServiceQueryClient, IOrchestrationServicePurgeClient
{
    public override int MaxConcurrentTaskOrchestrationWorkItems => maxOrchestrations;

    public override int MaxConcurrentTaskActivityWorkItems => maxActivities;
}
