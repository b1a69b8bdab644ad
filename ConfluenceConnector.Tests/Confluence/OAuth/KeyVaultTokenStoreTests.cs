using Azure;
using Azure.Security.KeyVault.Secrets;
using ConfluenceConnector.Core.Confluence.OAuth;
using Moq;

namespace ConfluenceConnector.Tests.Confluence.OAuth;

public sealed class KeyVaultTokenStoreTests
{
    private static readonly OAuthTokenRecord Record = new(
        "refresh-secret-value",
        "cloud-1",
        "https://acme.atlassian.net",
        "acme",
        "account-1",
        "Site Admin",
        ["read:page:confluence", "offline_access"],
        new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero));

    [Fact]
    public async Task Saves_the_record_as_one_json_secret_with_non_secret_tags()
    {
        var client = new Mock<SecretClient>();
        KeyVaultSecret? saved = null;
        client.Setup(c => c.SetSecretAsync(It.IsAny<KeyVaultSecret>(), It.IsAny<CancellationToken>()))
            .Callback<KeyVaultSecret, CancellationToken>((s, _) => saved = s)
            .ReturnsAsync((KeyVaultSecret s, CancellationToken _) => Response.FromValue(s, Mock.Of<Response>()));

        await new KeyVaultTokenStore(client.Object).SaveAsync(Record, CancellationToken.None);

        Assert.NotNull(saved);
        Assert.Equal(KeyVaultTokenStore.SecretName, saved.Name);
        Assert.Equal("application/json", saved.Properties.ContentType);
        Assert.Equal("cloud-1", saved.Properties.Tags["cloudId"]);
        Assert.DoesNotContain(saved.Properties.Tags.Values, v => v.Contains("refresh-secret-value", StringComparison.Ordinal));
        Assert.Contains("refresh-secret-value", saved.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_back_what_it_saved()
    {
        var client = new Mock<SecretClient>();
        KeyVaultSecret? saved = null;
        client.Setup(c => c.SetSecretAsync(It.IsAny<KeyVaultSecret>(), It.IsAny<CancellationToken>()))
            .Callback<KeyVaultSecret, CancellationToken>((s, _) => saved = s)
            .ReturnsAsync((KeyVaultSecret s, CancellationToken _) => Response.FromValue(s, Mock.Of<Response>()));
        client.Setup(c => c.GetSecretAsync(KeyVaultTokenStore.SecretName, null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Response.FromValue(saved!, Mock.Of<Response>()));
        var store = new KeyVaultTokenStore(client.Object);

        await store.SaveAsync(Record, CancellationToken.None);
        var read = await store.GetAsync(CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(Record with { Scopes = read.Scopes }, read);
        Assert.Equal(Record.Scopes, read.Scopes);
    }

    [Fact]
    public async Task A_missing_secret_means_not_authorised()
    {
        var client = new Mock<SecretClient>();
        client.Setup(c => c.GetSecretAsync(KeyVaultTokenStore.SecretName, null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(404, "SecretNotFound"));

        Assert.Null(await new KeyVaultTokenStore(client.Object).GetAsync(CancellationToken.None));
    }

    [Fact]
    public void The_record_never_prints_its_refresh_token()
    {
        Assert.DoesNotContain("refresh-secret-value", Record.ToString(), StringComparison.Ordinal);
    }
}
