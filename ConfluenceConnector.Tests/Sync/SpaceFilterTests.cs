using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Sync;

namespace ConfluenceConnector.Tests.Sync;

public sealed class SpaceFilterTests
{
    [Fact]
    public void An_empty_include_list_means_every_space()
    {
        var filter = new SpaceFilter(new SpaceFilterOptions());
        Assert.True(filter.IsIncluded("ENG"));
        Assert.True(filter.IsIncluded("~5b10a2844c20165700ede21g"));
        Assert.Null(filter.ListingKeys);
    }

    [Fact]
    public void Exclude_wins_over_include()
    {
        var filter = new SpaceFilter(new SpaceFilterOptions { Include = ["ENG", "OPS"], Exclude = ["OPS"] });
        Assert.True(filter.IsIncluded("ENG"));
        Assert.False(filter.IsIncluded("OPS"));
        Assert.False(filter.IsIncluded("HR"));
    }

    [Fact]
    public void Keys_compare_case_insensitively()
    {
        var filter = new SpaceFilter(new SpaceFilterOptions { Exclude = ["eng"] });
        Assert.False(filter.IsIncluded("ENG"));
    }

    [Fact]
    public void An_include_list_is_asked_for_by_key_only_while_it_fits_one_query()
    {
        var small = new SpaceFilter(new SpaceFilterOptions { Include = ["ENG", "OPS"] });
        Assert.Equal(["ENG", "OPS"], small.ListingKeys!.Order());

        var large = new SpaceFilter(new SpaceFilterOptions { Include = [.. Enumerable.Range(0, SpaceFilter.MaxKeysPerQuery + 1).Select(i => $"K{i}")] });
        Assert.Null(large.ListingKeys);
        Assert.True(large.IsIncluded("K250"));
    }

    [Fact]
    public void Named_keys_are_the_union_of_both_lists()
    {
        var filter = new SpaceFilter(new SpaceFilterOptions { Include = ["ENG"], Exclude = ["OPS", "eng"] });
        Assert.Equal(2, filter.NamedKeys.Count);
    }
}
