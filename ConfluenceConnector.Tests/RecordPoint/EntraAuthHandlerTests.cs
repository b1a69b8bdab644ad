using System.Net;
using Azure.Core;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.RecordPoint;
using ConfluenceConnector.Tests.Support;
using Microsoft.Extensions.Options;
using Moq;

namespace ConfluenceConnector.Tests.RecordPoint;

public sealed class EntraAuthHandlerTests
{
    [Fact]
    public async Task Each_call_carries_a_bearer_token_for_the_audience_default_scope()
    {
        var credential = new Mock<TokenCredential>();
        credential
            .Setup(c => c.GetTokenAsync(It.Is<TokenRequestContext>(t => t.Scopes.SequenceEqual(new[] { "api://records365/.default" })), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new AccessToken("token-123", DateTimeOffset.UtcNow.AddHours(1)));
        HttpRequestMessage? seen = null;
        var handler = new EntraAuthHandler(credential.Object, Options.Create(new RecordPointOptions { Audience = "api://records365/" }))
        {
            InnerHandler = new StubHttpHandler(r =>
            {
                seen = r;
                return new HttpResponseMessage(HttpStatusCode.OK);
            }),
        };
        using var client = new HttpClient(handler);

        await client.GetAsync(new Uri("https://rp.example/connector/api/Items"));

        Assert.Equal("Bearer", seen!.Headers.Authorization!.Scheme);
        Assert.Equal("token-123", seen.Headers.Authorization.Parameter);
        credential.VerifyAll();
    }
}
