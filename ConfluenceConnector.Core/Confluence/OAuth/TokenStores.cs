using System.Text.Json;
using Azure;
using Azure.Security.KeyVault.Secrets;

namespace ConfluenceConnector.Core.Confluence.OAuth;

/// <summary>Where the refresh token and its metadata live between runs. Implementations never log the contents.</summary>
public interface ITokenStore
{
    /// <summary>The stored record, or null when the connector was never authorised.</summary>
    Task<OAuthTokenRecord?> GetAsync(CancellationToken cancellationToken);

    Task SaveAsync(OAuthTokenRecord record, CancellationToken cancellationToken);
}

/// <summary>The token record as one Key Vault secret (JSON), read and written with the app's managed identity.</summary>
public sealed class KeyVaultTokenStore(SecretClient secrets) : ITokenStore
{
    /// <summary>Name of the Key Vault secret that holds the Confluence OAuth token record.</summary>
    public const string SecretName = "confluence-oauth-token";

    public async Task<OAuthTokenRecord?> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            var secret = await secrets.GetSecretAsync(SecretName, version: null, cancellationToken).ConfigureAwait(false);
            return TokenRecordJson.Read(secret.Value.Value);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task SaveAsync(OAuthTokenRecord record, CancellationToken cancellationToken)
    {
        var secret = new KeyVaultSecret(SecretName, TokenRecordJson.Write(record));
        secret.Properties.ContentType = "application/json";
        secret.Properties.Tags["cloudId"] = record.CloudId;
        secret.Properties.Tags["accountId"] = record.AccountId;
        await secrets.SetSecretAsync(secret, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The token record in a local JSON file readable by its owner only (mode 600): the local runner.</summary>
public sealed class FileTokenStore(string path) : ITokenStore
{
    public string Path { get; } = path;

    public async Task<OAuthTokenRecord?> GetAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        return TokenRecordJson.Read(await File.ReadAllTextAsync(Path, cancellationToken).ConfigureAwait(false));
    }

    public async Task SaveAsync(OAuthTokenRecord record, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        var temp = Path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(temp, options))
        {
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(TokenRecordJson.Write(record)), cancellationToken).ConfigureAwait(false);
        }

        File.Move(temp, Path, overwrite: true);
    }
}

/// <summary>The stored form of <see cref="OAuthTokenRecord"/>.</summary>
internal static class TokenRecordJson
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Write(OAuthTokenRecord record) => JsonSerializer.Serialize(record, Json);

    public static OAuthTokenRecord? Read(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<OAuthTokenRecord>(json, Json);
        }
        catch (JsonException)
        {
            throw new InvalidOperationException("The stored Confluence OAuth token record is not valid JSON: authorise the connector again.");
        }
    }
}
