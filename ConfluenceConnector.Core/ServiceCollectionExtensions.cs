using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.Confluence.OAuth;
using ConfluenceConnector.Core.Http;
using ConfluenceConnector.Core.Mapping;
using ConfluenceConnector.Core.Operations;
using ConfluenceConnector.Core.RecordPoint;
using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Core.Sync.Activities;
using ConfluenceConnector.Core.Sync.Ledger;
using ConfluenceConnector.Core.Sync.SiteIndex;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Refit;

namespace ConfluenceConnector.Core;

/// <summary>Registers the connector's domain services for any host (the Functions app, the local runner, tests).</summary>
public static class ServiceCollectionExtensions
{
    public static IServiceCollection AddConfluenceConnector(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConfluenceOptions>().Bind(configuration.GetSection(ConfluenceOptions.SectionName)).ValidateOnStart();
        services.AddOptions<RecordPointOptions>().Bind(configuration.GetSection(RecordPointOptions.SectionName)).ValidateOnStart();
        services.AddOptions<SyncOptions>().Bind(configuration.GetSection(SyncOptions.SectionName)).ValidateOnStart();
        services.AddOptions<OperationsOptions>().Bind(configuration.GetSection(OperationsOptions.SectionName)).ValidateOnStart();
        services.AddOptions<KeyVaultOptions>().Bind(configuration.GetSection(KeyVaultOptions.SectionName))
            .Validate(o => o.Uri is null || (o.Uri.IsAbsoluteUri && o.Uri.Scheme == Uri.UriSchemeHttps), "KeyVault:Uri must be the vault's absolute https URI, e.g. https://kv-name.vault.azure.net/ (or unset locally).")
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConfluenceOptions>, ConfluenceOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecordPointOptions>, RecordPointOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SyncOptions>, SyncOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OperationsOptions>, OperationsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        var refitSettings = new RefitSettings(new SystemTextJsonContentSerializer(RefitJson.Options));

        // Confluence: one named client (auth + resilience) serves Refit and the next-link walks.
        services.TryAddSingleton<IConfluenceAuthenticator>(sp => sp.GetRequiredService<IOptions<ConfluenceOptions>>().Value.AuthMode == ConfluenceAuthMode.OAuth
            ? sp.GetRequiredService<OAuthConfluenceAuthenticator>()
            : ActivatorUtilities.CreateInstance<BasicConfluenceAuthenticator>(sp));
        AddConfluenceOAuth(services, configuration);
        services.AddTransient<ConfluenceAuthHandler>();
        services.AddTransient<ConfluenceUsageHandler>();
        services.TryAddSingleton<ConfluenceBudget>();
        services.TryAddSingleton<EndpointPacer>();
        services.AddTransient<ConfluenceRateLimitHandler>();
        services.AddTransient<ConfluenceBodyCheckHandler>();
        services.AddHttpClient(ConfluenceClient.HttpClientName, ConfigureConfluenceClient)
            .AddConfluenceResilience()
            .AddHttpMessageHandler<ConfluenceRateLimitHandler>()
            .AddHttpMessageHandler<ConfluenceAuthHandler>()
            .AddHttpMessageHandler<ConfluenceUsageHandler>()
            .AddHttpMessageHandler<ConfluenceBodyCheckHandler>();
        services.AddTransient(sp => RestService.For<IConfluenceApi>(sp.GetRequiredService<IHttpClientFactory>().CreateClient(ConfluenceClient.HttpClientName), refitSettings));
        services.AddTransient<ConfluenceClient>();

        // Attachment bytes: the authenticated v1 download answers 302 (not followed automatically); the media host
        // gets its own client with no Authorization header (the token is in the redirect URL).
        services.AddHttpClient(AttachmentDownloader.DownloadHttpClientName, ConfigureConfluenceClient)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddConfluenceResilience()
            .AddHttpMessageHandler<ConfluenceRateLimitHandler>()
            .AddHttpMessageHandler<ConfluenceAuthHandler>()
            .AddHttpMessageHandler<ConfluenceUsageHandler>();
        services.AddHttpClient(AttachmentDownloader.MediaHttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddTransient<AttachmentDownloader>();

        // RecordPoint: the Connector API (Entra bearer unless AuthMode=None) and a plain client for SAS uploads.
        services.TryAddSingleton<TokenCredential>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<RecordPointOptions>>().Value;
            return new ClientSecretCredential(o.TenantId, o.ClientId, o.ClientSecret);
        });
        services.AddTransient<EntraAuthHandler>();
        services.TryAddSingleton<RecordPointThrottle>();
        services.AddTransient<RecordPointThrottleHandler>();
        services.AddHttpClient(RecordPointClient.HttpClientName, (sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<IOptions<RecordPointOptions>>().Value.ConnectorApiRoot;
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddRecordPointResilience()
            .AddHttpMessageHandler<RecordPointThrottleHandler>()
            .AddHttpMessageHandler(sp => sp.GetRequiredService<IOptions<RecordPointOptions>>().Value.AuthMode == RecordPointAuthMode.Entra
                ? sp.GetRequiredService<EntraAuthHandler>()
                : new PassThroughHandler());
        services.AddHttpClient(RecordPointClient.StorageHttpClientName);
        services.AddTransient(sp => RestService.For<IRecordPointApi>(sp.GetRequiredService<IHttpClientFactory>().CreateClient(RecordPointClient.HttpClientName), refitSettings));
        services.AddTransient<RecordPointClient>();

        services.AddSingleton<RecordMapper>();
        services.AddSingleton<SyncStarter>();
        services.AddSingleton<SyncOperations>();
        services.AddTransient<NotificationProcessor>();
        services.AddTransient<CheckConnectorActivity>();
        services.AddTransient<ResolveSpaceFilterActivity>();
        services.AddTransient<SubmitSpacesPageActivity>();
        services.AddTransient<SyncPageBatchActivity>();
        services.AddTransient<IndexListingPageActivity>();
        services.AddTransient<DeleteSiteIndexActivity>();
        services.AddTransient<RecordSubmitter>();
        services.TryAddSingleton<SubmissionSlots>();
        services.TryAddSingleton(_ => LedgerOptions.Create(configuration));
        services.TryAddSingleton(_ => SiteIndexOptions.Create(configuration));
        return services;
    }

    /// <summary>
    /// The OAuth 2.0 (3LO) services. Defaults suit one process (the local runner): state in memory, the token in Key
    /// Vault when <c>KeyVault:Uri</c> is set or else in a local file (<c>LocalTokenStore:Path</c>), an in-process
    /// refresh lock. The Functions host replaces the state store and the lock with ones on the app's storage.
    /// </summary>
    private static void AddConfluenceOAuth(IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpClient(AtlassianOAuthClient.HttpClientName);
        services.TryAddSingleton<AtlassianOAuthClient>();
        services.TryAddSingleton<OAuthConfluenceAuthenticator>();
        services.TryAddSingleton<IOAuthStateStore, InMemoryOAuthStateStore>();
        var localTokenPath = configuration["LocalTokenStore:Path"]
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "confluence-connector", "confluence-oauth-token.json");
        services.TryAddSingleton<ITokenStore>(sp => sp.GetRequiredService<IOptions<KeyVaultOptions>>().Value.Uri is { } vault
            ? new KeyVaultTokenStore(new SecretClient(vault, new DefaultAzureCredential()))
            : new FileTokenStore(localTokenPath));
        services.TryAddSingleton<IRefreshLock>(_ => new LocalRefreshLock(localTokenPath + ".lock"));
        services.TryAddTransient<OAuthAuthorizationFlow>();
        services.TryAddTransient<RefreshTokenKeepAlive>();
    }

    /// <summary>The Confluence API root; the resilience pipeline's total timeout bounds a call, not HttpClient.Timeout.</summary>
    private static void ConfigureConfluenceClient(IServiceProvider services, HttpClient client)
    {
        client.BaseAddress = services.GetRequiredService<IConfluenceAuthenticator>().ApiRoot;
        client.Timeout = Timeout.InfiniteTimeSpan;
    }

    private sealed class PassThroughHandler : DelegatingHandler;
}
