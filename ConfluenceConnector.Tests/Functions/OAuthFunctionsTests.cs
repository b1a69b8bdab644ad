using ConfluenceConnector.Core.Confluence.OAuth;
using ConfluenceConnector.Functions.OAuth;
using ConfluenceConnector.Tests.Confluence.OAuth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace ConfluenceConnector.Tests.Functions;

/// <summary>The HTTP adapters: the redirect with its browser-binding cookie, and the callback that requires both.</summary>
public sealed class OAuthFunctionsTests
{
    [Fact]
    public async Task Authorize_redirects_with_a_binding_cookie_and_the_callback_stores_the_token()
    {
        await using var sim = await OAuthSimulatorFixture.StartAsync();
        await using var services = sim.Services();
        var functions = new OAuthFunctions(services.GetRequiredService<OAuthAuthorizationFlow>());

        var authorizeContext = new DefaultHttpContext();
        var redirect = Assert.IsType<RedirectResult>(await functions.Authorize(authorizeContext.Request, CancellationToken.None));
        var setCookie = authorizeContext.Response.Headers.SetCookie.ToString();
        Assert.StartsWith(OAuthFunctions.BindingCookie + "=", setCookie, StringComparison.Ordinal);
        Assert.Contains("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        var binding = setCookie[(OAuthFunctions.BindingCookie.Length + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];
        var callback = await OAuthSimulatorFixture.FollowConsentAsync(new Uri(redirect.Url));

        var withoutCookie = await functions.Callback(CallbackRequest(callback, binding: null), CancellationToken.None);
        Assert.Equal(StatusCodes.Status400BadRequest, Assert.IsType<ContentResult>(withoutCookie).StatusCode);

        var again = new DefaultHttpContext();
        var fresh = await OAuthSimulatorFixture.FollowConsentAsync(new Uri(((RedirectResult)await functions.Authorize(again.Request, CancellationToken.None)).Url));
        var freshBinding = again.Response.Headers.SetCookie.ToString().Split(';')[0][(OAuthFunctions.BindingCookie.Length + 1)..];
        var page = Assert.IsType<ContentResult>(await functions.Callback(CallbackRequest(fresh, freshBinding), CancellationToken.None));

        Assert.Equal(StatusCodes.Status200OK, page.StatusCode);
        Assert.StartsWith("text/html", page.ContentType, StringComparison.Ordinal);
        Assert.Contains("You may now enable the connector", page.Content, StringComparison.Ordinal);
        Assert.NotNull(await services.GetRequiredService<ITokenStore>().GetAsync(CancellationToken.None));
    }

    private static HttpRequest CallbackRequest(AuthorizationCallback callback, string? binding)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = QueryString.Create(new Dictionary<string, string?> { ["code"] = callback.Code, ["state"] = callback.State });
        if (binding is not null)
        {
            context.Request.Headers.Cookie = $"{OAuthFunctions.BindingCookie}={binding}";
        }

        return context.Request;
    }
}
