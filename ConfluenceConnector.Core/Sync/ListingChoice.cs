using ConfluenceConnector.Core.Configuration;

namespace ConfluenceConnector.Core.Sync;

/// <summary>
/// The <c>Auto</c> listing rule, applied once per run when the space filter is resolved. Site-wide listings cost about
/// one point per comment, attachment and label of the WHOLE site (plus one request per 250); per-content calls cost
/// 5 to 8 requests per record IN SCOPE on top of the same objects. Break-even is near the share of the site the filter
/// keeps: from about 35 % (few children per record) to 50 % (many). So: no filter means SiteWide; a filter that keeps
/// at least <see cref="SiteWideMinShare"/> of the site's spaces (current and archived, counted by one walk of the
/// space list) means SiteWide; a smaller share means PerContent. Spaces stand in for records: the connector does not
/// know the size of spaces it does not sync.
/// </summary>
public static class ListingChoice
{
    /// <summary>The smallest share of the site's spaces in scope for which site-wide listings are chosen.</summary>
    public const double SiteWideMinShare = 0.4;

    /// <summary>
    /// The strategy of a run: the configured one unless it is Auto; then SiteWide without a filter
    /// (<paramref name="spacesInSite"/> is then not counted, 0) or when the filter keeps at least
    /// <see cref="SiteWideMinShare"/> of the site's spaces, else PerContent.
    /// </summary>
    public static ListingStrategy Choose(ListingStrategy configured, bool filtered, int spacesInScope, int spacesInSite) => configured switch
    {
        not ListingStrategy.Auto => configured,
        _ when !filtered => ListingStrategy.SiteWide,
        _ when spacesInSite == 0 => ListingStrategy.PerContent,
        _ => spacesInScope >= SiteWideMinShare * spacesInSite ? ListingStrategy.SiteWide : ListingStrategy.PerContent,
    };
}
