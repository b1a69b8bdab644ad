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
        var handler = new ConfluenceRateLimitHandler(new ConfluenceBudget(time), new EndpointPacer(time), time, Options.Create(new ConfluenceOptions()), NullLogger<ConfluenceRateLimitHandler>.Instance) { InnerHandler = stub };
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

    [Fact]
    public async Task A_burst_429_at_a_busy_endpoint_spaces_its_later_calls_at_the_rate_it_was_accepting()
    {
        var refuse = false;
        var (client, time, stub) = Create(request =>
        {
            if (refuse && request.RequestUri!.AbsolutePath.EndsWith("/download", StringComparison.Ordinal))
            {
                refuse = false;
                var burst = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
                burst.Headers.Add("Retry-After", "1");
                return burst;
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        for (var i = 0; i < 20; i++)
        {
            using var accepted = await Get(client, $"/wiki/rest/api/content/{i}/child/attachment/att{i}/download");
        }

        refuse = true;
        using (var throttled = await Get(client, "/wiki/rest/api/content/99/child/attachment/att99/download"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        }

        // 20 accepted in the last second → paced at 18 a second, after the 1 s hold.
        var first = Get(client, "/wiki/rest/api/content/1/child/attachment/att1/download");
        var second = Get(client, "/wiki/rest/api/content/2/child/attachment/att2/download");
        time.Advance(TimeSpan.FromSeconds(1));
        (await first).Dispose();
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1 / 18.0));
        (await second).Dispose();
        Assert.Equal(23, stub.Requests.Count);

        // Other endpoints are not paced.
        Assert.True(Get(client, "/wiki/api/v2/spaces").IsCompleted);
    }

    [Theory]
    [InlineData("/wiki/api/v2/pages/123/labels", "GET /wiki/api/v2/pages/{id}/labels")]
    [InlineData("/wiki/rest/api/content/98/child/attachment/att4567/download", "GET /wiki/rest/api/content/{id}/child/attachment/{id}/download")]
    [InlineData("/wiki/api/v2/spaces", "GET /wiki/api/v2/spaces")]
    public void Endpoints_are_told_apart_without_their_ids(string path, string endpoint) =>
        Assert.Equal(endpoint, EndpointPacer.EndpointOf(new HttpRequestMessage(HttpMethod.Get, "https://acme.atlassian.net" + path)));
}
