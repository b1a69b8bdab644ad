using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Confluence;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Sync.Activities;

/// <summary>
/// Looks up every Space key named in the Include and Exclude filters and returns those Confluence does not know
/// (or the connector's account cannot see), so that a mistyped key is reported instead of silently matching nothing.
/// Also settles the run's listing strategy (<see cref="ListingChoice"/>): when it is Auto and a filter is set, one walk
/// of every space both finds the named keys and counts the spaces in scope against the site's.
/// </summary>
public sealed class ResolveSpaceFilterActivity(
    ConfluenceClient confluence,
    IOptions<ConfluenceOptions> options,
    ILogger<ResolveSpaceFilterActivity> logger) : TaskActivity<SpaceFilterRequest, SpaceFilterResolution>
{
    public override async Task<SpaceFilterResolution> RunAsync(TaskActivityContext context, SpaceFilterRequest request)
    {
        var filter = new SpaceFilter(options.Value.SpaceFilter);
        var named = filter.NamedKeys;
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        int inScope = 0, inSite = 0;
        if (request.Listing == ListingStrategy.Auto && named.Count > 0)
        {
            foreach (var key in await ListKeysAsync(null).ConfigureAwait(false))
            {
                found.Add(key);
                inSite++;
                inScope += filter.IsIncluded(key) ? 1 : 0;
            }
        }
        else
        {
            foreach (var chunk in named.Chunk(SpaceFilter.MaxKeysPerQuery))
            {
                found.UnionWith(await ListKeysAsync(chunk).ConfigureAwait(false));
            }
        }

        var unknown = named.Where(k => !found.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            logger.LogWarning("Space filter names {Count} key(s) that Confluence does not show to the connector: {Keys}", unknown.Count, unknown);
        }

        var listing = ListingChoice.Choose(request.Listing, named.Count > 0, inScope, inSite);
        logger.LogInformation("Run {RunId} lists comments, attachments and labels {Listing} (configured {Configured}; {InScope} of {InSite} space(s) in scope when counted)", request.RunId, listing, request.Listing, inScope, inSite);
        return new SpaceFilterResolution(unknown, listing, inScope, inSite);
    }

    /// <summary>The keys of every current and archived space, or of those among <paramref name="keys"/>.</summary>
    private async Task<List<string>> ListKeysAsync(IReadOnlyCollection<string>? keys)
    {
        var all = new List<string>();
        foreach (var status in ConfluenceClient.SpaceStatuses)
        {
            string? next = null;
            do
            {
                var page = await PermanentFailures.Guard(() => confluence.ListSpacesAsync(status, keys, next, CancellationToken.None)).ConfigureAwait(false);
                all.AddRange(page.Results.Select(s => s.Key));
                next = page.NextLink;
            }
            while (next is not null);
        }

        return all;
    }
}
