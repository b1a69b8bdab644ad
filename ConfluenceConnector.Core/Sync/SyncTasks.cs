using ConfluenceConnector.Core.Sync.Activities;
using ConfluenceConnector.Core.Sync.Orchestrators;
using Microsoft.DurableTask;

namespace ConfluenceConnector.Core.Sync;

/// <summary>The one list of the connector's orchestrators and activities, for every host that runs them.</summary>
public static class SyncTasks
{
    public static DurableTaskRegistry AddSyncTasks(this DurableTaskRegistry registry) => registry
        .AddOrchestrator<FullSyncOrchestrator>()
        .AddOrchestrator<SpaceSyncOrchestrator>()
        .AddOrchestrator<SiteIndexOrchestrator>()
        .AddActivity<CheckConnectorActivity>()
        .AddActivity<ResolveSpaceFilterActivity>()
        .AddActivity<SubmitSpacesPageActivity>()
        .AddActivity<SyncPageBatchActivity>()
        .AddActivity<IndexListingPageActivity>()
        .AddActivity<DeleteSiteIndexActivity>();
}
