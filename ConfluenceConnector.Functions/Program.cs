using ConfluenceConnector.Core;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Confluence.OAuth;
using ConfluenceConnector.Functions.OAuth;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
if (builder.Configuration.GetValue<ConfluenceAuthMode>("Confluence:AuthMode") == ConfluenceAuthMode.OAuth)
{
    // Scaled out, the authorise state and the refresh lock must be shared by every instance: the app's storage.
    builder.Services.AddSingleton<IOAuthStateStore>(_ => new BlobOAuthStateStore(AppStorage.Container(builder.Configuration, AppStorage.OAuthContainer)));
    builder.Services.AddSingleton<IRefreshLock>(_ => new BlobLeaseRefreshLock(AppStorage.Container(builder.Configuration, AppStorage.OAuthContainer)));
}

builder.Services.AddConfluenceConnector(builder.Configuration);
builder.Build().Run();
