using System.Net;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Tests.Support;
using Microsoft.Extensions.Options;
using Moq;
using Refit;

namespace ConfluenceConnector.Tests.Confluence;

public sealed class ConfluenceClientTests
{
    private const string NextLink = "/wiki/api/v2/spaces/98305/pages?depth=all&status=current%2Carchived&body-format=storage&limit=250&cursor=eyJpZCI6IjEyMyJ9%3D%3D-_x";

    private static (ConfluenceClient Client, StubHttpHandler Handler) Create(Uri apiRoot, Func<HttpRequestMessage, HttpResponseMessage> respond)
    {
        var handler = new StubHttpHandler(respond);
        var factory = new Mock<IHttpClientFactory>();
        factory.Setup(f => f.CreateClient(ConfluenceClient.HttpClientName)).Returns(() => new HttpClient(handler, disposeHandler: false) { BaseAddress = apiRoot });
        var auth = new Mock<IConfluenceAuthenticator>();
        auth.SetupGet(a => a.ApiRoot).Returns(apiRoot);
        var api = RestService.For<IConfluenceApi>(new HttpClient(handler, disposeHandler: false) { BaseAddress = apiRoot });
        return (new ConfluenceClient(api, factory.Object, auth.Object, Options.Create(new SyncOptions())), handler);
    }

    [Theory]
    [InlineData("https://acme.atlassian.net", "https://acme.atlassian.net" + NextLink)]
    [InlineData("https://api.atlassian.com/ex/confluence/0b2f-cloud", "https://api.atlassian.com/ex/confluence/0b2f-cloud" + NextLink)]
    [InlineData("https://api.atlassian.com/ex/confluence/0b2f-cloud/", "https://api.atlassian.com/ex/confluence/0b2f-cloud" + NextLink)]
    public void The_next_link_is_appended_verbatim_to_the_api_root(string root, string expected)
    {
        Assert.Equal(expected, ConfluenceClient.ResolveNextLink(new Uri(root), NextLink).AbsoluteUri);
    }

    [Fact]
    public void A_next_link_that_does_not_start_with_wiki_is_refused()
    {
        Assert.Throws<ConfluenceApiException>(() => ConfluenceClient.ResolveNextLink(new Uri("https://acme.atlassian.net"), "/api/v2/spaces?cursor=x"));
    }

    [Fact]
    public async Task The_first_page_asks_for_current_and_archived_pages_with_storage_bodies_and_the_largest_limit()
    {
        var (client, handler) = Create(new Uri("https://acme.atlassian.net"), _ => StubHttpHandler.Json(HttpStatusCode.OK, """{"results":[],"_links":{}}"""));

        var page = await client.ListSpacePagesAsync("98305", null, CancellationToken.None);

        Assert.Empty(page.Results);
        Assert.Null(page.NextLink);
        var uri = Assert.Single(handler.Requests);
        Assert.Equal("/wiki/api/v2/spaces/98305/pages", uri.AbsolutePath);
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        Assert.Equal("current,archived", query["status"]);
        Assert.Equal("storage", query["body-format"]);
        Assert.Equal("250", query["limit"]);
        Assert.Equal("all", query["depth"]);
    }

    [Fact]
    public async Task A_later_page_follows_the_next_link_with_the_cursor_untouched()
    {
        var (client, handler) = Create(new Uri("https://api.atlassian.com/ex/confluence/cloud-1"), _ => StubHttpHandler.Json(HttpStatusCode.OK, """
            {"results":[{"id":"1","title":"A","spaceId":"98305","version":{"number":1,"createdAt":"2024-01-01T00:00:00Z"}}],
             "_links":{"next":"/wiki/api/v2/spaces/98305/pages?cursor=next-2","base":"https://acme.atlassian.net/wiki"}}
            """));

        var page = await client.ListSpacePagesAsync("98305", NextLink, CancellationToken.None);

        Assert.Equal("https://api.atlassian.com/ex/confluence/cloud-1" + NextLink, Assert.Single(handler.Requests).AbsoluteUri);
        Assert.Equal("1", Assert.Single(page.Results).Id);
        Assert.Equal("/wiki/api/v2/spaces/98305/pages?cursor=next-2", page.NextLink);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, """{"errors":[{"status":500,"title":"boom"}]}""")]
    [InlineData(HttpStatusCode.OK, """{"results":[{"id":"1",""")]
    [InlineData(HttpStatusCode.OK, """{"_links":{}}""")]
    public async Task A_failure_in_the_middle_of_a_walk_fails_it_instead_of_ending_it(HttpStatusCode status, string body)
    {
        var (client, _) = Create(new Uri("https://acme.atlassian.net"), _ => StubHttpHandler.Json(status, body));

        var error = await Assert.ThrowsAsync<ConfluenceApiException>(() => client.ListSpacePagesAsync("98305", NextLink, CancellationToken.None));
        Assert.Contains("/wiki/api/v2/spaces/98305/pages", error.Message);
    }

    [Fact]
    public async Task A_failed_first_page_names_the_request_and_the_answer()
    {
        var (client, _) = Create(new Uri("https://acme.atlassian.net"), _ => StubHttpHandler.Json(HttpStatusCode.NotFound, """{"errors":[{"title":"Space not found"}]}"""));

        var error = await Assert.ThrowsAsync<ConfluenceApiException>(() => client.ListSpacePagesAsync("98305", null, CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("GET /wiki/api/v2/spaces/98305/pages answered 404", error.Message);
        Assert.Contains("Space not found", error.Message);
    }

    [Fact]
    public async Task Spaces_are_asked_for_one_status_at_a_time_and_by_key_when_given()
    {
        var (client, handler) = Create(new Uri("https://acme.atlassian.net"), _ => StubHttpHandler.Json(HttpStatusCode.OK, """{"results":[{"id":"1","key":"ENG","name":"Eng"}],"_links":{}}"""));

        var page = await client.ListSpacesAsync("archived", ["ENG", "OPS"], null, CancellationToken.None);

        Assert.Equal("ENG", Assert.Single(page.Results).Key);
        var query = System.Web.HttpUtility.ParseQueryString(Assert.Single(handler.Requests).Query);
        Assert.Equal("archived", query["status"]);
        Assert.Equal("ENG,OPS", query["keys"]);
    }
}
