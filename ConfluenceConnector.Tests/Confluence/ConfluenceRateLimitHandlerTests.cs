using System.Net;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ConfluenceConnector.Tests.Confluence;

public sealed class ConfluenceRateLimitHandlerTests
{
    private static (HttpMessageInvoker Client, FakeTimeProvider Time, StubHttpHandler Stub) Create(Func<HttpRequestMessage, HttpResponseMessage> respond)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));
        var stub = new StubHttpHandler(respond);
        var handler = new ConfluenceRateLimitHandler(new ConfluenceBudget(time), time, Options.Create(new ConfluenceOptions()), NullLogger<ConfluenceRateLimitHandler>.Instance) { InnerHandler = stub };
        return (new HttpMessageInvoker(handler), time, stub);
    }

    private static Task<HttpResponseMessage> Get(HttpMessageInvoker client, string path) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://acme.atlassian.net" + path), CancellationToken.None);

    [Fact]
    public async Task A_burst_429_holds_back_only_the_endpoint_that_got_it_for_as_long_as_it_asked()
    {
        var throttled = 0;
        var (client, time, stub) = Create(request =>
        {
            if (request.RequestUri!.AbsolutePath == "/wiki/api/v2/pages/1/labels" && Interlocked.Increment(ref throttled) == 1)
            {
                var burst = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
                burst.Headers.Add("Retry-After", "5");
                return burst;
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        using var first = await Get(client, "/wiki/api/v2/pages/1/labels");
        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);

        // Other endpoints go at once.
        var spaces = Get(client, "/wiki/api/v2/spaces");
        var comments = Get(client, "/wiki/api/v2/pages/1/footer-comments");
        Assert.True(spaces.IsCompleted && comments.IsCompleted);

        // The same endpoint (another page's labels) waits out the 429's Retry-After.
        var labels = Get(client, "/wiki/api/v2/pages/2/labels");
        Assert.False(labels.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(labels.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        using var held = await labels;
        Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        Assert.Equal(4, stub.Requests.Count);

        // The hold is over: the endpoint goes at once again.
        Assert.True(Get(client, "/wiki/api/v2/pages/3/labels").IsCompleted);
    }

    [Theory]
    [InlineData("/wiki/api/v2/pages/123/labels", "GET /wiki/api/v2/pages/{id}/labels")]
    [InlineData("/wiki/rest/api/content/98/child/attachment/att4567/download", "GET /wiki/rest/api/content/{id}/child/attachment/{id}/download")]
    [InlineData("/wiki/api/v2/spaces", "GET /wiki/api/v2/spaces")]
    public void Endpoints_are_told_apart_without_their_ids(string path, string endpoint) =>
        Assert.Equal(endpoint, ConfluenceBudget.EndpointOf(new HttpRequestMessage(HttpMethod.Get, "https://acme.atlassian.net" + path)));
}
