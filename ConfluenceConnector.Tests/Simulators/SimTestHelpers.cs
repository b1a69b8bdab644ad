using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConfluenceConnector.Simulators.Confluence;

namespace ConfluenceConnector.Tests.Simulators;

internal static class SimTestHelpers
{
    public static HttpClient ConfluenceClient(ConfluenceSimulator sim)
    {
        var client = new HttpClient { BaseAddress = sim.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(sim.Options.Email + ":" + sim.Options.ApiToken)));
        return client;
    }

    public static async Task<(HttpResponseMessage Response, JsonNode? Json)> GetJsonAsync(HttpClient client, string relative)
    {
        var response = await client.GetAsync(relative);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static async Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string relative, object body, string mediaType = "application/json")
    {
        var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, mediaType);
        return await client.PostAsync(relative, content);
    }

    /// <summary>Walks a v2 listing by its relative _links.next until the end; returns every result.</summary>
    public static async Task<List<JsonNode>> WalkAsync(HttpClient client, string firstRelative)
    {
        var all = new List<JsonNode>();
        string? next = firstRelative;
        var guard = 0;
        while (next is not null)
        {
            Assert.True(++guard < 10_000, "pagination does not end");
            var (response, json) = await GetJsonAsync(client, next);
            Assert.Equal(200, (int)response.StatusCode);
            all.AddRange(json!["results"]!.AsArray().Select(n => n!));
            next = (string?)json["_links"]!["next"];
        }

        return all;
    }

    /// <summary>A read-only stream that cannot seek and has no length, forcing the SDK to stage blocks.</summary>
    public sealed class NonSeekableStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
