using System.Net;
using System.Text;
using ConfluenceConnector.Core;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Confluence.OAuth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Cli.Commands;

/// <summary>
/// <c>authorize</c>: the OAuth 2.0 (3LO) consent from a developer's machine. Prints the authorise URL, waits for
/// Atlassian's redirect on the loopback <c>Confluence:CallbackUrl</c>, runs the same checks as the Functions
/// callback (<see cref="OAuthAuthorizationFlow"/>) and stores the refresh token in the local token file (or in
/// Key Vault when <c>KeyVault:Uri</c> is set). <c>sync</c> with <c>Confluence:AuthMode=OAuth</c> then uses it.
/// </summary>
public static class AuthorizeCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Confluence:AuthMode"] = nameof(ConfluenceAuthMode.OAuth) })
            .Build();
        var services = new ServiceCollection().AddLogging(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        services.AddConfluenceConnector(configuration);
        await using var provider = services.BuildServiceProvider();

        ConfluenceOptions options;
        try
        {
            options = provider.GetRequiredService<IOptions<ConfluenceOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<KeyVaultOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            await error.WriteLineAsync("The settings are not valid:");
            foreach (var failure in e.Failures)
            {
                await error.WriteLineAsync($"  - {failure}");
            }

            return CliApp.ExitInvalidSettings;
        }

        var callback = options.CallbackUrl!;
        if (!callback.IsLoopback || callback.Scheme != Uri.UriSchemeHttp)
        {
            await error.WriteLineAsync($"Confluence:CallbackUrl '{callback}' is not a loopback http URL: the local runner can only receive Atlassian's redirect on one, e.g. http://127.0.0.1:8765/callback (register it in the Atlassian developer console too).");
            return CliApp.ExitInvalidSettings;
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add($"{callback.Scheme}://{callback.Host}:{callback.Port}/");
        try
        {
            listener.Start();
        }
        catch (HttpListenerException e)
        {
            await error.WriteLineAsync($"Cannot listen on {callback.GetLeftPart(UriPartial.Authority)} for Atlassian's redirect: {e.Message}. Free the port or choose another Confluence:CallbackUrl.");
            return CliApp.ExitFailures;
        }

        var flow = provider.GetRequiredService<OAuthAuthorizationFlow>();
        var start = await flow.BeginAsync(cancellationToken);
        await output.WriteLineAsync("Open this URL in a browser, sign in as an administrator of the Confluence site and accept:");
        await output.WriteLineAsync();
        await output.WriteLineAsync(start.AuthorizeUrl.AbsoluteUri);
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Waiting up to {OAuthAuthorizationFlow.StateLifetime.TotalMinutes:0} minutes for Atlassian's redirect to {callback} ...");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(OAuthAuthorizationFlow.StateLifetime);
        AuthorizationOutcome outcome;
        try
        {
            outcome = await ReceiveCallbackAsync(listener, callback, flow, start.Binding, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("No redirect arrived in time; run 'confluence-connector authorize' again.");
            return CliApp.ExitFailures;
        }

        await (outcome.Succeeded ? output : error).WriteLineAsync($"{outcome.Title}: {outcome.Message}");
        if (outcome.Succeeded)
        {
            var where = provider.GetRequiredService<ITokenStore>() is FileTokenStore file ? file.Path : "Key Vault secret " + KeyVaultTokenStore.SecretName;
            await output.WriteLineAsync($"Refresh token stored in {where}. Run 'confluence-connector sync --Confluence:AuthMode=OAuth' with the same settings.");
        }

        return outcome.Succeeded ? CliApp.ExitOk : CliApp.ExitFailures;
    }

    private static async Task<AuthorizationOutcome> ReceiveCallbackAsync(HttpListener listener, Uri callback, OAuthAuthorizationFlow flow, string binding, CancellationToken cancellationToken)
    {
        while (true)
        {
            var context = await listener.GetContextAsync().WaitAsync(cancellationToken);
            if (!string.Equals(context.Request.Url?.AbsolutePath, callback.AbsolutePath, StringComparison.Ordinal))
            {
                context.Response.StatusCode = (int)HttpStatusCode.NotFound;
                context.Response.Close();
                continue;
            }

            var q = context.Request.QueryString;
            var outcome = await flow.CompleteAsync(new AuthorizationCallback(q["code"], q["state"], q["error"], q["error_description"]), binding, cancellationToken);
            var page = Encoding.UTF8.GetBytes(AuthorizationPage.Render(outcome));
            context.Response.StatusCode = (int)outcome.StatusCode;
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.ContentLength64 = page.Length;
            await context.Response.OutputStream.WriteAsync(page, cancellationToken);
            context.Response.Close();
            return outcome;
        }
    }
}
