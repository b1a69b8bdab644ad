using ConfluenceConnector.Core.Sync.SiteIndex;
using Microsoft.DurableTask;

namespace ConfluenceConnector.Core.Sync.Activities;

/// <summary>Deletes everything a run filed into the site index (called when the run ends, whatever its outcome).</summary>
public sealed class DeleteSiteIndexActivity(ISiteIndex siteIndex) : TaskActivity<string, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, string runId)
    {
        await siteIndex.DeleteRunAsync(runId, CancellationToken.None).ConfigureAwait(false);
        return true;
    }
}
