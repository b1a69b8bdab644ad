using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ConfluenceConnector.Simulators.RecordPoint;
using static ConfluenceConnector.Tests.Simulators.SimTestHelpers;

namespace ConfluenceConnector.Tests.Simulators;

public sealed class RecordPointSimulatorTests : IAsyncLifetime
{
    private const string Connector = "c0ffee00-0000-4000-8000-000000000001";
    private RecordPointSimulator _sim = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _sim = await RecordPointSimulator.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_sim.BaseUrl, "connector/") };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _sim.DisposeAsync();
    }

    private static Dictionary<string, object?> Aggregation(string externalId = "space-1", string modified = "2024-05-01T10:00:00Z") => new()
    {
        ["connectorId"] = Connector,
        ["externalId"] = externalId,
        ["title"] = "Engineering",
        ["sourceCreatedBy"] = "5b10a2844c20165700ede21g",
        ["sourceCreatedDate"] = "2023-01-01T00:00:00Z",
        ["sourceLastModifiedBy"] = "5b10a2844c20165700ede21g",
        ["sourceLastModifiedDate"] = modified,
    };

    private static Dictionary<string, object?> Item(string externalId = "page-1", string version = "1", string modified = "2024-05-02T10:00:00Z", string parent = "space-1") => new()
    {
        ["connectorId"] = Connector,
        ["externalId"] = externalId,
        ["parentExternalId"] = parent,
        ["title"] = "Réunion — 会议 #12",
        ["author"] = "Zoë",
        ["contentVersion"] = version,
        ["location"] = "/spaces/ENG/pages/1",
        ["mediaType"] = "Electronic",
        ["mimeType"] = "text/html",
        ["sourceCreatedBy"] = "Zoë",
        ["sourceCreatedDate"] = "2024-01-01T00:00:00Z",
        ["sourceLastModifiedBy"] = "Zoë",
        ["sourceLastModifiedDate"] = modified,
        ["sourceProperties"] = new object[] { new { name = "Confluence.PageId", type = "String", value = "65601" }, new { name = "Confluence.Version", type = "Number", value = 3 } },
    };

    private static Dictionary<string, object?> Binary(string item = "page-1", string binary = "page-1:body", string itemModified = "2024-05-02T10:00:00Z") => new()
    {
        ["connectorId"] = Connector,
        ["itemExternalId"] = item,
        ["binaryExternalId"] = binary,
        ["fileName"] = "body.html",
        ["mimeType"] = "text/html",
        ["itemSourceLastModifiedDate"] = itemModified,
    };

    private async Task<string> SasUrlAsync(Dictionary<string, object?> binary)
    {
        var response = await PostJsonAsync(_client, "api/Binaries/GetSASToken", binary);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(_sim.Options.MaxFileSize, (long)json["maxFileSize"]!);
        var url = (string)json["url"]!;
        Assert.StartsWith(_sim.BaseUrl + "simstorage/binaries/", url);
        Assert.Contains("sig=", url);
        return url;
    }

    [Theory]
    [InlineData("connectorId")]
    [InlineData("externalId")]
    [InlineData("title")]
    [InlineData("sourceCreatedBy")]
    [InlineData("sourceCreatedDate")]
    [InlineData("sourceLastModifiedBy")]
    [InlineData("sourceLastModifiedDate")]
    public async Task Aggregation_MissingRequiredField_Is400(string field)
    {
        var body = Aggregation();
        body.Remove(field);
        var response = await PostJsonAsync(_client, "api/Aggregations", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("Validation", (string)error["type"]!);
        Assert.Equal("Validation", (string)error["messageCode"]!);
        Assert.Equal(field, (string)error["target"]!);
        Assert.Equal($"{field} is required", (string)error["message"]!);
        Assert.Empty(_sim.Store.Aggregations);
    }

    [Theory]
    [InlineData("connectorId")]
    [InlineData("externalId")]
    [InlineData("parentExternalId")]
    [InlineData("title")]
    [InlineData("author")]
    [InlineData("contentVersion")]
    [InlineData("location")]
    [InlineData("mediaType")]
    [InlineData("sourceCreatedBy")]
    [InlineData("sourceCreatedDate")]
    [InlineData("sourceLastModifiedBy")]
    [InlineData("sourceLastModifiedDate")]
    public async Task Item_MissingOrEmptyRequiredField_Is400(string field)
    {
        var body = Item();
        body[field] = "";
        var response = await PostJsonAsync(_client, "api/Items", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(field, (string)error["target"]!);
        Assert.Empty(_sim.Store.Items);
        Assert.Equal(1, _sim.Store.BadRequests);
    }

    [Fact]
    public async Task Item_BadOrDefaultDates_Are400()
    {
        var body = Item();
        body["sourceCreatedDate"] = "yesterday";
        Assert.Equal(HttpStatusCode.BadRequest, (await PostJsonAsync(_client, "api/Items", body)).StatusCode);
        body["sourceCreatedDate"] = "0001-01-01T00:00:00Z";
        Assert.Equal(HttpStatusCode.BadRequest, (await PostJsonAsync(_client, "api/Items", body)).StatusCode);
    }

    [Theory]
    [InlineData("connectorId")]
    [InlineData("itemExternalId")]
    [InlineData("binaryExternalId")]
    public async Task Binary_MissingRequiredField_Is400(string field)
    {
        var body = Binary();
        body.Remove(field);
        var response = await PostJsonAsync(_client, "api/Binaries/GetSASToken", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["target"]!);
    }

    [Fact]
    public async Task Repeats_Are409_NewVersionsAreKept_AndAggregationStatusIsReported()
    {
        // The item arrives before its aggregation: accepted, Pending.
        var first = await PostJsonAsync(_client, "api/Items", Item(), "application/json-patch+json");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var acceptance = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        Assert.Equal("page-1", (string)acceptance["externalId"]!);
        Assert.Equal("Pending", (string)acceptance["aggregationStatus"]!);

        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(_client, "api/Aggregations", Aggregation())).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await PostJsonAsync(_client, "api/Aggregations", Aggregation())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(_client, "api/Aggregations", Aggregation(modified: "2024-06-01T00:00:00Z"))).StatusCode);

        Assert.Equal(HttpStatusCode.Conflict, (await PostJsonAsync(_client, "api/Items", Item())).StatusCode);
        var second = await PostJsonAsync(_client, "api/Items", Item(version: "2", modified: "2024-05-03T10:00:00Z"));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("Found", (string)JsonNode.Parse(await second.Content.ReadAsStringAsync())!["aggregationStatus"]!);

        var aggregation = Assert.Single(_sim.Store.Aggregations);
        Assert.Equal(2, aggregation.Versions);
        var item = Assert.Single(_sim.Store.Items);
        Assert.Equal(2, item.Versions);
        Assert.Equal("2", item.ContentVersion);
        Assert.Equal("1", item.History[0].ContentVersion);
        Assert.Equal("Réunion — 会议 #12", item.Title);
        Assert.Equal("3", item.SourceProperties.Single(p => p.Name == "Confluence.Version").Value);
        Assert.Equal(2, _sim.Store.Conflicts);
    }

    [Fact]
    public async Task PascalCaseJson_IsAccepted()
    {
        var body = Aggregation().ToDictionary(kv => char.ToUpperInvariant(kv.Key[0]) + kv.Key[1..], kv => kv.Value);
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(_client, "api/Aggregations", body)).StatusCode);
        Assert.Equal("space-1", Assert.Single(_sim.Store.Aggregations).ExternalId);
    }

    [Fact]
    public async Task GetSasToken_ForUnknownItem_Is412()
    {
        var response = await PostJsonAsync(_client, "api/Binaries/GetSASToken", Binary(item: "nope"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal(1, _sim.Store.PreconditionFailures);
    }

    [Fact]
    public async Task SasUpload_SmallStream_ThenNotify_StoresTheBytes_AndARepeatIs409()
    {
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(_client, "api/Items", Item())).StatusCode);
        var url = await SasUrlAsync(Binary());
        var bytes = System.Text.Encoding.UTF8.GetBytes("<html><body><p>Réunion — 会议</p></body></html>");

        var blob = new BlobClient(new Uri(url));
        var result = await blob.UploadAsync(new MemoryStream(bytes), new BlobUploadOptions
        {
            Metadata = new Dictionary<string, string> { ["ItemBinary_FileName"] = "body.html", ["ItemBinary_CorrelationId"] = "corr-1" },
            HttpHeaders = new BlobHttpHeaders { ContentType = "text/html" },
        });
        Assert.NotEqual(default, result.Value.ETag);
        Assert.Equal(MD5.HashData(bytes), result.Value.ContentHash);

        var notify = await PostJsonAsync(_client, "api/Binaries/NotifyBinarySubmission", Binary());
        Assert.Equal(HttpStatusCode.OK, notify.StatusCode);

        var stored = Assert.Single(_sim.Store.Binaries);
        Assert.Equal(bytes, stored.Content);
        Assert.Equal(bytes.Length, stored.FileSize);
        Assert.Equal("SAS", stored.SubmittedVia);
        Assert.Equal("body.html", stored.Metadata["ItemBinary_FileName"]);
        Assert.Equal("corr-1", stored.Metadata["ItemBinary_CorrelationId"]);
        Assert.Equal("text/html", stored.MimeType);

        Assert.Equal(HttpStatusCode.Conflict, (await PostJsonAsync(_client, "api/Binaries/NotifyBinarySubmission", Binary())).StatusCode);

        // A new item version resends its binary: a new binary version.
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(_client, "api/Items", Item(version: "2", modified: "2024-05-09T00:00:00Z"))).StatusCode);
        var url2 = await SasUrlAsync(Binary(itemModified: "2024-05-09T00:00:00Z"));
        await new BlobClient(new Uri(url2)).UploadAsync(new MemoryStream(bytes));
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(_client, "api/Binaries/NotifyBinarySubmission", Binary(itemModified: "2024-05-09T00:00:00Z"))).StatusCode);
        Assert.Equal(2, Assert.Single(_sim.Store.Binaries).Versions);

        using var raw = new HttpClient();
        var content = await raw.GetByteArrayAsync(new Uri(_sim.BaseUrl, "_sim/binaries/page-1/page-1:body/content"));
        Assert.Equal(bytes, content);
    }

    [Fact]
    public async Task SasUpload_LargeNonSeekableStream_UsesBlocks_ThenNotify_StoresTheBytes()
    {
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(_client, "api/Items", Item())).StatusCode);
        var url = await SasUrlAsync(Binary(binary: "att-1"));
        var bytes = new byte[10 * 1024 * 1024 + 123];
        new Random(1).NextBytes(bytes);

        _sim.Requests.Reset();
        var blob = new BlobClient(new Uri(url));
        await blob.UploadAsync(new NonSeekableStream(new MemoryStream(bytes)), new BlobUploadOptions
        {
            Metadata = new Dictionary<string, string> { ["ItemBinary_FileName"] = "big.bin", ["ItemBinary_CorrelationId"] = "corr-2" },
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
            TransferOptions = new StorageTransferOptions { InitialTransferSize = 1024 * 1024, MaximumTransferSize = 1024 * 1024 },
        });
        Assert.True(_sim.Requests["PUT /simstorage/binaries/{blobName}"] >= 12, "expected Put Block x11 + Put Block List");

        var props = await blob.GetPropertiesAsync();
        Assert.Equal(bytes.LongLength, props.Value.ContentLength);
        Assert.Equal("big.bin", props.Value.Metadata["ItemBinary_FileName"]);

        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(_client, "api/Binaries/NotifyBinarySubmission", Binary(binary: "att-1"))).StatusCode);
        var stored = _sim.Store.FindBinary("page-1", "att-1")!;
        Assert.Equal(bytes.Length, stored.Content.Length);
        Assert.True(bytes.AsSpan().SequenceEqual(stored.Content));
        Assert.Equal("body.html", stored.FileName);
        Assert.Equal("big.bin", stored.Metadata["ItemBinary_FileName"]);
        Assert.Equal("corr-2", stored.Metadata["ItemBinary_CorrelationId"]);
    }

    [Fact]
    public async Task SetMetadataAfterUpload_IsKept()
    {
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(_client, "api/Items", Item())).StatusCode);
        var blob = new BlobClient(new Uri(await SasUrlAsync(Binary())));
        await blob.UploadAsync(BinaryData.FromString("hello"));
        await blob.SetMetadataAsync(new Dictionary<string, string> { ["ItemBinary_FileName"] = "late.txt" });
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(_client, "api/Binaries/NotifyBinarySubmission", Binary())).StatusCode);
        Assert.Equal("late.txt", _sim.Store.Binaries.Single().Metadata["ItemBinary_FileName"]);
    }

    [Fact]
    public async Task Notify_WithoutUpload_Is400_AndBadSignature_Is403()
    {
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(_client, "api/Items", Item())).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostJsonAsync(_client, "api/Binaries/NotifyBinarySubmission", Binary())).StatusCode);

        var url = await SasUrlAsync(Binary());
        Assert.Equal(HttpStatusCode.BadRequest, (await PostJsonAsync(_client, "api/Binaries/NotifyBinarySubmission", Binary())).StatusCode);

        var sigStart = url.IndexOf("sig=", StringComparison.Ordinal) + 4;
        var forged = url[..sigStart] + "AAAA" + url[(sigStart + 4)..];
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => new BlobClient(new Uri(forged)).UploadAsync(BinaryData.FromString("x")));
        Assert.Equal(403, ex.Status);
        Assert.Equal("AuthenticationFailed", ex.ErrorCode);
    }

    [Fact]
    public async Task LegacyBinaryPathOnly_GetSasTokenIs405_LegacyPostStoresTheStream()
    {
        await using var legacy = await RecordPointSimulator.StartAsync(new RecordPointSimulatorOptions { LegacyBinaryPathOnly = true });
        using var client = new HttpClient { BaseAddress = new Uri(legacy.BaseUrl, "connector/") };
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(client, "api/Items", Item())).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await PostJsonAsync(client, "api/Binaries/GetSASToken", Binary())).StatusCode);

        var bytes = new byte[300_000];
        new Random(2).NextBytes(bytes);
        var query = $"api/Binaries?ConnectorId={Connector}&ItemExternalId=page-1&BinaryExternalId=att%3A9&FileName={Uri.EscapeDataString("Réunion.pdf")}&ItemSourceLastModifiedDate=2024-05-02T10%3A00%3A00Z";
        var post = await client.PostAsync(query, new StreamContent(new NonSeekableStream(new MemoryStream(bytes))) { Headers = { ContentType = new MediaTypeHeaderValue("application/pdf") } });
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);

        var stored = Assert.Single(legacy.Store.Binaries);
        Assert.Equal("att:9", stored.BinaryExternalId);
        Assert.Equal("Réunion.pdf", stored.FileName);
        Assert.Equal("Legacy", stored.SubmittedVia);
        Assert.Equal(bytes, stored.Content);

        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync(query, new ByteArrayContent(bytes))).StatusCode);
        var unknown = query.Replace("ItemExternalId=page-1", "ItemExternalId=nope", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await client.PostAsync(unknown, new ByteArrayContent(bytes))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("api/Binaries?ConnectorId=x", new ByteArrayContent(bytes))).StatusCode);
    }

    [Fact]
    public async Task FilesAboveMaxFileSize_Are400FileTooLarge()
    {
        await using var small = await RecordPointSimulator.StartAsync(new RecordPointSimulatorOptions { MaxFileSize = 1000 });
        using var client = new HttpClient { BaseAddress = new Uri(small.BaseUrl, "connector/") };
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(client, "api/Items", Item())).StatusCode);

        var legacy = await client.PostAsync($"api/Binaries?ConnectorId={Connector}&ItemExternalId=page-1&BinaryExternalId=b1", new ByteArrayContent(new byte[5000]));
        Assert.Equal(HttpStatusCode.BadRequest, legacy.StatusCode);
        Assert.Equal("FileTooLarge", (string)JsonNode.Parse(await legacy.Content.ReadAsStringAsync())!["error"]!["messageCode"]!);

        var sas = await PostJsonAsync(client, "api/Binaries/GetSASToken", Binary());
        var url = (string)JsonNode.Parse(await sas.Content.ReadAsStringAsync())!["url"]!;
        await new BlobClient(new Uri(url)).UploadAsync(new BinaryData(new byte[5000]));
        var notify = await PostJsonAsync(client, "api/Binaries/NotifyBinarySubmission", Binary());
        Assert.Equal(HttpStatusCode.BadRequest, notify.StatusCode);
        Assert.Equal("FileTooLarge", (string)JsonNode.Parse(await notify.Content.ReadAsStringAsync())!["error"]!["messageCode"]!);
        Assert.Empty(small.Store.Binaries);
    }

    [Fact]
    public async Task ConnectorConfiguration_ReportsStatus_AndDisabledConnectorRefusesSubmissions()
    {
        var config = JsonNode.Parse(await _client.GetStringAsync($"api/ConnectorConfigurations/{Connector}"))!;
        Assert.Equal("Enabled", (string)config["status"]!);
        Assert.Equal(Connector, (string)config["id"]!);

        _sim.Store.SetConnectorStatus("Disabled");
        config = JsonNode.Parse(await _client.GetStringAsync($"api/ConnectorConfigurations/{Connector}"))!;
        Assert.Equal("Disabled", (string)config["status"]!);
        var refused = await PostJsonAsync(_client, "api/Items", Item());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("ConnectorNotEnabled", (string)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!["messageCode"]!);

        Assert.Equal("[]", await _client.GetStringAsync($"api/Notifications?connectorId={Connector}"));
        var ack = await PostJsonAsync(_client, "api/Notifications", new { connectorId = Connector, notificationId = "n1", processingResult = "OK" });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.Equal("n1", Assert.Single(_sim.Store.NotificationAcks).NotificationId);
    }

    [Fact]
    public async Task AuditEvents_AreStored_AndFailNextInjectsErrors()
    {
        var audit = new { connectorId = Connector, eventExternalId = "e1", eventType = "Deleted", itemExternalId = "page-1", createdDate = "2024-05-05T00:00:00Z" };
        _sim.FailNext(r => r.Path.Value!.EndsWith("/AuditEvents", StringComparison.Ordinal), 429, headers: new Dictionary<string, string> { ["wait-until-time"] = "2024-05-05T00:00:01Z" });
        var throttled = await _client.PutAsync("api/AuditEvents", JsonContent.Create(audit));
        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        Assert.True(throttled.Headers.Contains("wait-until-time"));
        Assert.Equal(HttpStatusCode.OK, (await _client.PutAsync("api/AuditEvents", JsonContent.Create(audit))).StatusCode);
        Assert.Equal("Deleted", Assert.Single(_sim.Store.AuditEvents).EventType);
        Assert.Equal(2, _sim.Requests["PUT /connector/api/AuditEvents"]);
    }

    [Fact]
    public async Task ExpectedBearerToken_IsEnforced()
    {
        await using var secured = await RecordPointSimulator.StartAsync(new RecordPointSimulatorOptions { ExpectedBearerToken = "t0k3n" });
        using var client = new HttpClient { BaseAddress = new Uri(secured.BaseUrl, "connector/") };
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostJsonAsync(client, "api/Aggregations", Aggregation())).StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "t0k3n");
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(client, "api/Aggregations", Aggregation())).StatusCode);
    }
}
