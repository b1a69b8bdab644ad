using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Sync;

namespace ConfluenceConnector.Tests.Sync;

public sealed class ListingChoiceTests
{
    [Theory]
    [InlineData(false, 0, 0, ListingStrategy.SiteWide)]
    [InlineData(true, 1, 20, ListingStrategy.PerContent)]
    [InlineData(true, 7, 20, ListingStrategy.PerContent)]
    [InlineData(true, 8, 20, ListingStrategy.SiteWide)]
    [InlineData(true, 19, 20, ListingStrategy.SiteWide)]
    [InlineData(true, 0, 0, ListingStrategy.PerContent)]
    public void Auto_lists_site_wide_unless_the_filter_keeps_under_40_percent_of_the_spaces(bool filtered, int inScope, int inSite, ListingStrategy expected)
    {
        Assert.Equal(expected, ListingChoice.Choose(ListingStrategy.Auto, filtered, inScope, inSite));
    }

    [Theory]
    [InlineData(ListingStrategy.SiteWide)]
    [InlineData(ListingStrategy.PerContent)]
    public void A_configured_strategy_is_kept_whatever_the_filter(ListingStrategy configured)
    {
        Assert.Equal(configured, ListingChoice.Choose(configured, filtered: true, spacesInScope: 1, spacesInSite: 100));
        Assert.Equal(configured, ListingChoice.Choose(configured, filtered: false, spacesInScope: 0, spacesInSite: 0));
    }
}
