using System.Text;
using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Confluence;
using ConfluenceConnector.Core.Mapping;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Tests.Mapping;

public sealed class RecordMapperTests
{
    private static readonly SpaceRef Eng = new("98305", "ENG", "Engineering");

    private static readonly RecordMapper Mapper = new(
        Options.Create(new ConfluenceOptions { Domain = "acme" }),
        Options.Create(new RecordPointOptions { ConnectorId = "connector-1" }));

    private static Page NewPage(ContentVersion? version = null, string? webUi = "/spaces/ENG/pages/123/R%C3%A9union") => new(
        Id: "123",
        Status: "current",
        Title: "Réunion — 会议 <draft> & \"notes\"",
        SpaceId: "98305",
        ParentId: "100",
        ParentType: "folder",
        Position: 3,
        AuthorId: "5b10a2844c20165700ede21g",
        OwnerId: "owner-1",
        CreatedAt: new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Version: version ?? new ContentVersion(7, new DateTimeOffset(2025, 6, 7, 8, 9, 10, TimeSpan.Zero), "editor-9", "typo", false),
        Body: new PageBody(new BodyRepresentation("<p>Hello <strong>world</strong></p>", "storage")),
        Links: new EntityLinks(webUi));

    [Fact]
    public void A_space_becomes_an_aggregation_with_every_required_field()
    {
        var space = new Space("98305", "ENG", "Engineering", "global", "current", "author-1", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), "1", new EntityLinks("/spaces/ENG"));

        var aggregation = Mapper.ToAggregation(space);

        Assert.Equal("connector-1", aggregation.ConnectorId);
        Assert.Equal("98305", aggregation.ExternalId);
        Assert.Equal("Engineering", aggregation.Title);
        Assert.Equal("https://acme.atlassian.net/wiki/spaces/ENG", aggregation.Location);
        Assert.Equal("author-1", aggregation.SourceCreatedBy);
        Assert.Equal("author-1", aggregation.SourceLastModifiedBy);
        Assert.Equal(space.CreatedAt, aggregation.SourceCreatedDate);
        Assert.Contains(aggregation.SourceProperties!, p => p is { Name: "SpaceKey", Value: "ENG" });
    }

    [Fact]
    public void A_space_without_author_or_date_still_carries_every_required_field()
    {
        var aggregation = Mapper.ToAggregation(new Space("1", "~jsmith", "", "personal", "archived", null, null, null, null));

        Assert.Equal("~jsmith", aggregation.Title);
        Assert.Equal(RecordMapper.UnknownAccount, aggregation.SourceCreatedBy);
        Assert.Equal(DateTimeOffset.UnixEpoch, aggregation.SourceCreatedDate);
        Assert.Equal("https://acme.atlassian.net/wiki/spaces/~jsmith", aggregation.Location);
    }

    [Fact]
    public void A_page_becomes_an_item_under_its_space_with_version_dates_and_people()
    {
        var page = NewPage();

        var item = Mapper.ToItem(page, Eng);

        Assert.Equal("123", item.ExternalId);
        Assert.Equal("98305", item.ParentExternalId);
        Assert.Equal(page.Title, item.Title);
        Assert.Equal("7", item.ContentVersion);
        Assert.Equal(page.Version!.CreatedAt, item.SourceLastModifiedDate);
        Assert.Equal(page.CreatedAt, item.SourceCreatedDate);
        Assert.Equal("5b10a2844c20165700ede21g", item.Author);
        Assert.Equal("5b10a2844c20165700ede21g", item.SourceCreatedBy);
        Assert.Equal("editor-9", item.SourceLastModifiedBy);
        Assert.Equal("Electronic", item.MediaType);
        Assert.Equal("https://acme.atlassian.net/wiki/spaces/ENG/pages/123/R%C3%A9union", item.Location);
        Assert.Contains(item.SourceProperties!, p => p is { Name: "ParentType", Value: "folder" });
        Assert.Contains(item.SourceProperties!, p => p is { Name: "VersionNumber", Type: "Number", Value: "7" });
    }

    [Fact]
    public void A_page_without_a_version_date_cannot_be_a_record()
    {
        var page = NewPage(new ContentVersion(2, null, null, null, false));
        Assert.Throws<InvalidDataException>(() => Mapper.ToItem(page, Eng));
    }

    [Fact]
    public void The_page_url_falls_back_to_the_space_path_without_webui()
    {
        Assert.Equal("https://acme.atlassian.net/wiki/spaces/ENG/pages/123", Mapper.PageUrl(NewPage(webUi: null), Eng));
    }

    [Fact]
    public void The_content_binary_has_a_stable_id_of_its_own()
    {
        var page = NewPage();
        var first = Mapper.ToContentBinary(page, Eng, 10, "hash", "c1");
        var second = Mapper.ToContentBinary(page, Eng, 10, "hash", "c2");

        Assert.Equal(first.BinaryExternalId, second.BinaryExternalId);
        Assert.NotEqual(page.Id, first.BinaryExternalId);
        Assert.Equal("123", first.ItemExternalId);
        Assert.Equal("text/html", first.MimeType);
        Assert.Equal(page.Version!.CreatedAt, first.ItemSourceLastModifiedDate);
        Assert.EndsWith(".html", first.FileName);
        Assert.DoesNotContain('<', first.FileName!);
        Assert.DoesNotContain('"', first.FileName!);
    }

    [Fact]
    public void The_content_document_is_self_describing_html_with_the_body_inside()
    {
        var page = NewPage();

        var html = Encoding.UTF8.GetString(ContentDocument.Build(page, Eng, "https://acme.atlassian.net/wiki/x"));

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<meta charset=\"utf-8\">", html);
        Assert.Contains("<title>Réunion — 会议 &lt;draft&gt; &amp; &quot;notes&quot;</title>", html);
        Assert.Contains("name=\"confluence:space-key\" content=\"ENG\"", html);
        Assert.Contains("name=\"confluence:version\" content=\"7\"", html);
        Assert.Contains("<p>Hello <strong>world</strong></p>", html);
    }
}
