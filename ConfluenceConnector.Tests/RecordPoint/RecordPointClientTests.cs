using System.Net;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.RecordPoint;
using ConfluenceConnector.Tests.Support;
using Microsoft.Extensions.Options;
using Moq;
using Refit;

namespace ConfluenceConnector.Tests.RecordPoint;

public sealed class RecordPointClientTests
{
    private static readonly ItemSubmission Item = new()
    {
        ConnectorId = "c",
        ExternalId = "123",
        ParentExternalId = "98305",
        Title = "t",
        Author = "a",
        ContentVersion = "1",
        Location = "https://acme.atlassian.net/wiki/x",
        MediaType = "Electronic",
        SourceCreatedBy = "a",
        SourceCreatedDate = DateTimeOffset.UnixEpoch,
        SourceLastModifiedBy = "a",
        SourceLastModifiedDate = DateTimeOffset.UnixEpoch,
    };

    private static (RecordPointClient Client, StubHttpHandler Handler) Create(Func<HttpRequestMessage, HttpResponseMessage> respond)
    {
        var handler = new StubHttpHandler(respond);
        var api = RestService.For<IRecordPointApi>(new HttpClient(handler) { BaseAddress = new Uri("https://rp.example/connector") });
        var options = Options.Create(new RecordPointOptions { Resilience = { RetryBaseDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(5) } });
        return (new RecordPointClient(api, Mock.Of<IHttpClientFactory>(), options, TimeProvider.System), handler);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, SubmissionOutcome.Accepted)]
    [InlineData(HttpStatusCode.Accepted, SubmissionOutcome.Accepted)]
    [InlineData(HttpStatusCode.NoContent, SubmissionOutcome.Accepted)]
    [InlineData(HttpStatusCode.Conflict, SubmissionOutcome.AlreadySubmitted)]
    public async Task Success_and_409_are_accepted(HttpStatusCode status, SubmissionOutcome expected)
    {
        var (client, handler) = Create(_ => StubHttpHandler.Json(status, "{}"));

        Assert.Equal(expected, await client.SubmitItemAsync(Item, CancellationToken.None));
        Assert.Equal("https://rp.example/connector/api/Items", Assert.Single(handler.Requests).AbsoluteUri);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, """{"error":{"message":"title is required","messageCode":"Validation"}}""", RecordPointFailureKind.Rejected)]
    [InlineData(HttpStatusCode.BadRequest, """{"error":{"message":"Connector is disabled","messageCode":"ConnectorNotEnabled"}}""", RecordPointFailureKind.ConnectorNotEnabled)]
    [InlineData(HttpStatusCode.BadRequest, """{"error":{"message":"no binaries","messageCode":"ProtectionNotEnabled"}}""", RecordPointFailureKind.ProtectionNotEnabled)]
    [InlineData(HttpStatusCode.Forbidden, "", RecordPointFailureKind.Forbidden)]
    [InlineData(HttpStatusCode.PreconditionFailed, "", RecordPointFailureKind.Deferred)]
    [InlineData(HttpStatusCode.TooManyRequests, "", RecordPointFailureKind.Transient)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "", RecordPointFailureKind.Transient)]
    [InlineData(HttpStatusCode.GatewayTimeout, "", RecordPointFailureKind.Transient)]
    [InlineData(HttpStatusCode.RequestTimeout, "", RecordPointFailureKind.Transient)]
    public async Task Other_answers_say_what_to_do_next(HttpStatusCode status, string body, RecordPointFailureKind kind)
    {
        var (client, _) = Create(_ => StubHttpHandler.Json(status, body));

        var error = await Assert.ThrowsAsync<RecordPointException>(() => client.SubmitItemAsync(Item, CancellationToken.None));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(status, error.StatusCode);
        Assert.Contains("POST api/Items for 123", error.Message);
    }

    [Fact]
    public async Task A_rejection_carries_recordpoints_own_message()
    {
        var (client, _) = Create(_ => StubHttpHandler.Json(HttpStatusCode.BadRequest, """{"error":{"message":"title is required","messageCode":"Validation"}}"""));

        var error = await Assert.ThrowsAsync<RecordPointException>(() => client.SubmitItemAsync(Item, CancellationToken.None));

        Assert.Contains("Validation", error.Message);
        Assert.Contains("title is required", error.Message);
    }

    [Fact]
    public async Task A_405_to_GetSASToken_sends_the_binary_on_the_legacy_streaming_path()
    {
        var (client, handler) = Create(request => request.RequestUri!.AbsolutePath.EndsWith("GetSASToken", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.MethodNotAllowed)
            : new HttpResponseMessage(HttpStatusCode.OK));
        var bytes = "<html>hi</html>"u8.ToArray();
        var binary = new BinarySubmission { ConnectorId = "c", ItemExternalId = "123", BinaryExternalId = "123-content", FileName = "A page.html" };

        var outcome = await client.SubmitBinaryAsync(binary, new BinaryContent(bytes.Length, _ => Task.FromResult<Stream>(new MemoryStream(bytes))), CancellationToken.None);

        Assert.Equal(SubmissionOutcome.Accepted, outcome);
        var legacy = handler.Requests[1];
        Assert.Equal("/connector/api/Binaries", legacy.AbsolutePath);
        var query = System.Web.HttpUtility.ParseQueryString(legacy.Query);
        Assert.Equal("123", query["ItemExternalId"]);
        Assert.Equal("123-content", query["BinaryExternalId"]);
        Assert.Equal("A page.html", query["FileName"]);
    }

    [Fact]
    public async Task A_transient_failure_of_the_legacy_streaming_POST_is_sent_again_with_the_content_reopened()
    {
        var bytes = "<html>hi</html>"u8.ToArray();
        var answers = new Queue<HttpStatusCode>([HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout, HttpStatusCode.RequestTimeout, HttpStatusCode.OK]);
        var bodies = new List<byte[]>();
        var (client, handler) = Create(request =>
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("GetSASToken", StringComparison.Ordinal))
            {
                return new HttpResponseMessage(HttpStatusCode.MethodNotAllowed);
            }

            bodies.Add(request.Content!.ReadAsByteArrayAsync().GetAwaiter().GetResult());
            return new HttpResponseMessage(answers.Dequeue());
        });
        var opened = 0;
        var binary = new BinarySubmission { ConnectorId = "c", ItemExternalId = "123", BinaryExternalId = "123-content", FileName = "A page.html" };

        var outcome = await client.SubmitBinaryAsync(binary, new BinaryContent(bytes.Length, _ =>
        {
            opened++;
            return Task.FromResult<Stream>(new MemoryStream(bytes));
        }), CancellationToken.None);

        Assert.Equal(SubmissionOutcome.Accepted, outcome);
        Assert.Equal(4, opened);
        Assert.Equal(4, bodies.Count);
        Assert.All(bodies, body => Assert.Equal(bytes, body));
        Assert.Equal(5, handler.Requests.Count);
    }

    [Fact]
    public async Task A_rejected_legacy_streaming_POST_is_not_sent_again()
    {
        var (client, handler) = Create(request => request.RequestUri!.AbsolutePath.EndsWith("GetSASToken", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.MethodNotAllowed)
            : StubHttpHandler.Json(HttpStatusCode.BadRequest, """{"error":{"message":"bad","messageCode":"Validation"}}"""));
        var opened = 0;
        var binary = new BinarySubmission { ConnectorId = "c", ItemExternalId = "123", BinaryExternalId = "123-content" };

        var error = await Assert.ThrowsAsync<RecordPointException>(() => client.SubmitBinaryAsync(binary, new BinaryContent(1, _ =>
        {
            opened++;
            return Task.FromResult<Stream>(new MemoryStream([1]));
        }), CancellationToken.None));

        Assert.Equal(RecordPointFailureKind.Rejected, error.Kind);
        Assert.Equal(1, opened);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task A_binary_larger_than_maxFileSize_is_skipped_not_sent()
    {
        var (client, handler) = Create(_ => StubHttpHandler.Json(HttpStatusCode.Accepted, """{"url":"http://127.0.0.1:1/simstorage/binaries/x?sig=y","maxFileSize":4}"""));
        var binary = new BinarySubmission { ConnectorId = "c", ItemExternalId = "123", BinaryExternalId = "123-content" };

        var outcome = await client.SubmitBinaryAsync(binary, new BinaryContent(5, _ => throw new InvalidOperationException("must not be read")), CancellationToken.None);

        Assert.Equal(SubmissionOutcome.SkippedTooLarge, outcome);
        Assert.Single(handler.Requests);
    }
}
