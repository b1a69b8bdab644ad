namespace ConfluenceConnector.Core.Configuration;

/// <summary>Rules for the <c>Confluence:Domain</c> setting: the bare subdomain of a *.atlassian.net site.</summary>
public static class SiteDomain
{
    /// <summary>True for a value such as <c>yourcompany</c>: letters, digits and hyphens only.</summary>
    public static bool IsBareSubdomain(string value) =>
        value.Length is > 0 and <= 63
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
        && value[0] != '-' && value[^1] != '-';

    /// <summary>Best guess at the subdomain a user meant, for the error message (https://acme.atlassian.net/wiki -> acme).</summary>
    public static string SuggestSubdomain(string value)
    {
        var s = value.Trim();
        var scheme = s.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            s = s[(scheme + 3)..];
        }

        var end = s.IndexOfAny(['.', '/', ':']);
        if (end >= 0)
        {
            s = s[..end];
        }

        return SiteDomain.IsBareSubdomain(s) ? s : "yourcompany";
    }
}
