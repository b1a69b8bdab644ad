using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.Mapping;
using ConfluenceConnector.Core.RecordPoint;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Sync.Activities;

/// <summary>
/// Lists one page of Spaces (one status at a time), keeps those the filter includes, submits each one's
/// Aggregation and returns the spaces whose pages should be synced.
/// </summary>
public sealed class SubmitSpacesPageActivity(
    ConfluenceClient confluence,
    RecordPointClient recordPoint,
    RecordMapper mapper,
    IOptions<ConfluenceOptions> options,
    ILogger<SubmitSpacesPageActivity> logger) : TaskActivity<SpacesPageRequest, SpacesPageResult>
{
    public override async Task<SpacesPageResult> RunAsync(TaskActivityContext context, SpacesPageRequest request)
    {
        var filter = new SpaceFilter(options.Value.SpaceFilter);
        var page = await PermanentFailures.Guard(() => confluence.ListSpacesAsync(request.Status, filter.ListingKeys, request.NextLink, CancellationToken.None)).ConfigureAwait(false);

        var included = page.Results.Where(s => filter.IsIncluded(s.Key)).ToList();
        var spaces = new List<SpaceWork>(included.Count);
        var failures = new List<ItemFailure>();
        foreach (var space in included)
        {
            try
            {
                await PermanentFailures.Guard(() => recordPoint.SubmitAggregationAsync(mapper.ToAggregation(space), CancellationToken.None)).ConfigureAwait(false);
                spaces.Add(new SpaceWork(space.Id, space.Key, space.Name));
            }
            catch (RecordPointException e) when (e.Kind is RecordPointFailureKind.Rejected)
            {
                logger.LogError("RecordPoint rejected the aggregation of space {SpaceKey} ({SpaceId}): {Reason}", space.Key, space.Id, e.Message);
                failures.Add(new ItemFailure(space.Id, "space", e.Message));
            }
        }

        logger.LogInformation(
            "Listed {Listed} {Status} space(s): {Included} to sync, {Excluded} excluded by the filter, {Failed} aggregation(s) rejected",
            page.Results.Count, request.Status, spaces.Count, page.Results.Count - included.Count, failures.Count);
        return new SpacesPageResult(spaces, page.NextLink, page.Results.Count - included.Count, spaces.Count, failures);
    }
}
