namespace ConfluenceConnector.Core.Configuration;

/// <summary>Settings under <c>KeyVault:</c>: where the Confluence OAuth refresh token is kept.</summary>
public sealed class KeyVaultOptions
{
    public const string SectionName = "KeyVault";

    /// <summary>The vault URI, e.g. <c>https://kv-name.vault.azure.net/</c>. Unset locally: the token lives in a local file.</summary>
    public Uri? Uri { get; set; }
}
