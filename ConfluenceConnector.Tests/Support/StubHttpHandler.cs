using System.Net;
using System.Text;

namespace ConfluenceConnector.Tests.Support;

/// <summary>An HTTP handler that answers from a function and records every request URI.</summary>
internal sealed class StubHttpHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
{
    public List<Uri> Requests { get; } = [];

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(request.RequestUri!);
        }

        var response = respond(request);
        response.RequestMessage = request;
        return Task.FromResult(response);
    }
}
