using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Core.Sync.Activities;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace ConfluenceConnector.Functions.Sync;

/// <summary>Activity functions: each resolves the Core activity class of the same name and runs it.</summary>
public static class ActivityFunctions
{
    [Function(nameof(ResolveSpaceFilterActivity))]
    public static Task<SpaceFilterResolution> ResolveSpaceFilter([ActivityTrigger] SpaceFilterRequest request, FunctionContext context) =>
        Run<ResolveSpaceFilterActivity, SpaceFilterRequest, SpaceFilterResolution>(context, request);

    [Function(nameof(SubmitSpacesPageActivity))]
    public static Task<SpacesPageResult> SubmitSpacesPage([ActivityTrigger] SpacesPageRequest request, FunctionContext context) =>
        Run<SubmitSpacesPageActivity, SpacesPageRequest, SpacesPageResult>(context, request);

    [Function(nameof(SyncPageBatchActivity))]
    public static Task<PageBatchResult> SyncPageBatch([ActivityTrigger] PageBatchRequest request, FunctionContext context) =>
        Run<SyncPageBatchActivity, PageBatchRequest, PageBatchResult>(context, request);

    [Function(nameof(IndexListingPageActivity))]
    public static Task<IndexListingResult> IndexListingPage([ActivityTrigger] IndexListingRequest request, FunctionContext context) =>
        Run<IndexListingPageActivity, IndexListingRequest, IndexListingResult>(context, request);

    [Function(nameof(DeleteSiteIndexActivity))]
    public static Task<bool> DeleteSiteIndex([ActivityTrigger] string runId, FunctionContext context) =>
        Run<DeleteSiteIndexActivity, string, bool>(context, runId);

    [Function(nameof(CheckConnectorActivity))]
    public static Task<ConnectorCheck> CheckConnector([ActivityTrigger] ConnectorCheckRequest request, FunctionContext context) =>
        Run<CheckConnectorActivity, ConnectorCheckRequest, ConnectorCheck>(context, request);

    private static Task<TOutput> Run<TActivity, TInput, TOutput>(FunctionContext context, TInput input)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        var activity = context.InstanceServices.GetRequiredService<TActivity>();
        var instanceId = context.BindingContext.BindingData.TryGetValue("instanceId", out var id) ? id?.ToString() ?? string.Empty : string.Empty;
        return activity.RunAsync(new FunctionActivityContext(typeof(TActivity).Name, instanceId), input);
    }

    private sealed class FunctionActivityContext(TaskName name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name { get; } = name;

        public override string InstanceId { get; } = instanceId;
    }
}
