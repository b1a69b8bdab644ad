using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Confluence;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Sync.Activities;

/// <summary>
/// Looks up every Space key named in the Include and Exclude filters and returns those Confluence does not know
/// (or the connector's account cannot see), so that a mistyped key is reported instead of silently matching nothing.
/// </summary>
public sealed class ResolveSpaceFilterActivity(
    ConfluenceClient confluence,
    IOptions<ConfluenceOptions> options,
    ILogger<ResolveSpaceFilterActivity> logger) : TaskActivity<string, IReadOnlyList<string>>
{
    public override async Task<IReadOnlyList<string>> RunAsync(TaskActivityContext context, string runId)
    {
        var named = new SpaceFilter(options.Value.SpaceFilter).NamedKeys;
        if (named.Count == 0)
        {
            return [];
        }

        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in named.Chunk(SpaceFilter.MaxKeysPerQuery))
        {
            foreach (var status in ConfluenceClient.SpaceStatuses)
            {
                string? next = null;
                do
                {
                    var page = await PermanentFailures.Guard(() => confluence.ListSpacesAsync(status, chunk, next, CancellationToken.None)).ConfigureAwait(false);
                    found.UnionWith(page.Results.Select(s => s.Key));
                    next = page.NextLink;
                }
                while (next is not null);
            }
        }

        var unknown = named.Where(k => !found.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            logger.LogWarning("Space filter names {Count} key(s) that Confluence does not show to the connector: {Keys}", unknown.Count, unknown);
        }

        return unknown;
    }
}
