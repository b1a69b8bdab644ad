using Azure.Core;
using Azure.Identity;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.Mapping;
using ConfluenceConnector.Core.RecordPoint;
using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Core.Sync.Activities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConfluenceOptions>, ConfluenceOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecordPointOptions>, RecordPointOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SyncOptions>, SyncOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        var refitSettings = new RefitSettings(new SystemTextJsonContentSerializer(RefitJson.Options));

        // Confluence: one named client (auth + resilience) serves Refit and the next-link walks.
        services.TryAddSingleton<IConfluenceAuthenticator, BasicConfluenceAuthenticator>();
        services.AddTransient<ConfluenceAuthHandler>();
        services.AddHttpClient(ConfluenceClient.HttpClientName, (sp, client) => client.BaseAddress = sp.GetRequiredService<IConfluenceAuthenticator>().ApiRoot)
            .AddStandardResilienceHandler()
            .Services.AddHttpClient(ConfluenceClient.HttpClientName)
            .AddHttpMessageHandler<ConfluenceAuthHandler>();
        services.AddTransient(sp => RestService.For<IConfluenceApi>(sp.GetRequiredService<IHttpClientFactory>().CreateClient(ConfluenceClient.HttpClientName), refitSettings));
        services.AddTransient<ConfluenceClient>();

        // RecordPoint: the Connector API (Entra bearer unless AuthMode=None) and a plain client for SAS uploads.
        services.TryAddSingleton<TokenCredential>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<RecordPointOptions>>().Value;
            return new ClientSecretCredential(o.TenantId, o.ClientId, o.ClientSecret);
        });
        services.AddTransient<EntraAuthHandler>();
        services.AddHttpClient(RecordPointClient.HttpClientName, (sp, client) => client.BaseAddress = sp.GetRequiredService<IOptions<RecordPointOptions>>().Value.ConnectorApiRoot)
            .AddStandardResilienceHandler()
            .Services.AddHttpClient(RecordPointClient.HttpClientName)
            .AddHttpMessageHandler(sp => sp.GetRequiredService<IOptions<RecordPointOptions>>().Value.AuthMode == RecordPointAuthMode.Entra
                ? sp.GetRequiredService<EntraAuthHandler>()
                : new PassThroughHandler());
        services.AddHttpClient(RecordPointClient.StorageHttpClientName);
        services.AddTransient(sp => RestService.For<IRecordPointApi>(sp.GetRequiredService<IHttpClientFactory>().CreateClient(RecordPointClient.HttpClientName), refitSettings));
        services.AddTransient<RecordPointClient>();

        services.AddSingleton<RecordMapper>();
        services.AddSingleton<SyncStarter>();
        services.AddTransient<ResolveSpaceFilterActivity>();
        services.AddTransient<SubmitSpacesPageActivity>();
        services.AddTransient<SyncPageBatchActivity>();
        return services;
    }

    private sealed class PassThroughHandler : DelegatingHandler;
}
