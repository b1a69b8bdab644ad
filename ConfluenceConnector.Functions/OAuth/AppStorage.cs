using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;

namespace ConfluenceConnector.Functions.OAuth;

/// <summary>Blob containers on the app's own storage (<c>AzureWebJobsStorage</c>), shared by every instance of the app.</summary>
internal static class AppStorage
{
    /// <summary>Container of the OAuth authorise state and the refresh lock.</summary>
    public const string OAuthContainer = "confluence-oauth";

    /// <summary>Identity-based in Azure (<c>AzureWebJobsStorage__blobServiceUri</c> + managed identity), a connection string locally.</summary>
    public static BlobContainerClient Container(IConfiguration configuration, string name)
    {
        var serviceUri = configuration["AzureWebJobsStorage:blobServiceUri"];
        if (!string.IsNullOrWhiteSpace(serviceUri))
        {
            var clientId = configuration["AzureWebJobsStorage:clientId"];
            var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId });
            return new BlobServiceClient(new Uri(serviceUri), credential).GetBlobContainerClient(name);
        }

        var connectionString = configuration["AzureWebJobsStorage"]
            ?? throw new InvalidOperationException("AzureWebJobsStorage is not set: the OAuth state and refresh lock live in the app's storage.");
        return new BlobServiceClient(connectionString).GetBlobContainerClient(name);
    }
}
