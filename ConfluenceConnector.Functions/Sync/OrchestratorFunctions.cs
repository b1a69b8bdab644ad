using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Core.Sync.Orchestrators;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace ConfluenceConnector.Functions.Sync;

/// <summary>Orchestrator functions: each hands its context to the Core orchestrator class of the same name.</summary>
public static class OrchestratorFunctions
{
    [Function(nameof(FullSyncOrchestrator))]
    public static async Task<FullSyncResult?> FullSync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        await new FullSyncOrchestrator().RunAsync(context, context.GetInput<FullSyncState>()!);

    [Function(nameof(SpaceSyncOrchestrator))]
    public static async Task<SpaceSyncResult?> SpaceSync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        await new SpaceSyncOrchestrator().RunAsync(context, context.GetInput<SpaceSyncState>()!);

    [Function(nameof(SiteIndexOrchestrator))]
    public static async Task<SiteIndexResult?> SiteIndex([OrchestrationTrigger] TaskOrchestrationContext context) =>
        await new SiteIndexOrchestrator().RunAsync(context, context.GetInput<SiteIndexState>()!);
}
