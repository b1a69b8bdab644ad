using System.Text.Json.Nodes;
using ConfluenceConnector.Tests.Support;

namespace ConfluenceConnector.Tests.Functions;

/// <summary>The OAuth endpoints as the host will load them: routes, methods and who may call them.</summary>
public sealed class OAuthFunctionMetadataTests
{
    [Theory]
    [InlineData("OAuthAuthorize", "oauth/authorize", "Function")]
    [InlineData("OAuthCallback", "oauth/callback", "Anonymous")]
    public void Oauth_endpoints_have_their_route_and_authorisation_level(string name, string route, string authLevel)
    {
        var trigger = Bindings(name).Single(b => (string?)b!["type"] == "httpTrigger")!;

        Assert.Equal(route, (string?)trigger["route"]);
        Assert.Equal(authLevel, (string?)trigger["authLevel"], ignoreCase: true);
        Assert.Equal(["get"], trigger["methods"]!.AsArray().Select(m => (string?)m));
    }

    [Fact]
    public void The_keep_alive_timer_is_registered()
    {
        Assert.Contains(Bindings("OAuthKeepAliveTimer"), b => (string?)b!["type"] == "timerTrigger");
    }

    private static JsonArray Bindings(string functionName)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(RepoPaths.Root, "ConfluenceConnector.Functions", "bin", configuration, "net10.0", "functions.metadata");
        var function = JsonNode.Parse(File.ReadAllText(path))!.AsArray().SingleOrDefault(f => (string?)f!["name"] == functionName);
        Assert.True(function is not null, $"functions.metadata has no function '{functionName}'");
        return function["bindings"]!.AsArray();
    }
}
