using System.Globalization;
using System.Security;
using System.Text;

namespace ConfluenceConnector.Simulators.Confluence;

/// <summary>What <see cref="ConfluenceSiteGenerator"/> builds. Counts of personal/archived spaces are part of <see cref="Spaces"/>.</summary>
public sealed record SiteSpec
{
    public int Seed { get; init; } = 42;
    public int Spaces { get; init; } = 5;
    public int PagesPerSpace { get; init; } = 20;
    public int PersonalSpaces { get; init; } = 1;
    public int ArchivedSpaces { get; init; } = 1;
    public double ArchivedPageFraction { get; init; } = 0.1;
    public double TrashedPageFraction { get; init; } = 0.05;
    public double DraftPageFraction { get; init; } = 0.05;
    public int MinBodyBytes { get; init; } = 200;
    public int MaxBodyBytes { get; init; } = 20000;
    public string SiteName { get; init; } = "demo";

    /// <summary>Blog posts per space (current); none unless asked for.</summary>
    public int BlogPostsPerSpace { get; init; }

    /// <summary>Average root footer comments per page or blog post.</summary>
    public double FooterCommentsPerPage { get; init; } = 1.0;

    /// <summary>Average root inline comments per page or blog post.</summary>
    public double InlineCommentsPerPage { get; init; } = 0.5;

    /// <summary>Chance that a root comment has a reply (and that reply a reply of its own).</summary>
    public double ReplyFraction { get; init; } = 0.4;

    /// <summary>Average attachments per page or blog post.</summary>
    public double AttachmentsPerPage { get; init; } = 1.0;

    /// <summary>Largest generated attachment (sizes are skewed small; some are zero bytes).</summary>
    public long MaxAttachmentBytes { get; init; } = 256 * 1024;

    /// <summary>Average labels per page or blog post.</summary>
    public double LabelsPerPage { get; init; } = 1.0;
}

/// <summary>Deterministic site generator: the same <see cref="SiteSpec"/> always yields the same site.</summary>
public static class ConfluenceSiteGenerator
{
    private static readonly DateTimeOffset Epoch = new(2019, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly (string Key, string Name)[] GlobalSpaceNames =
    [
        ("ENG", "Engineering"),
        ("MKT", "Ventes & Marketing"),
        ("DATA", "Données — データ"),
        ("SUP", "Support 🎧"),
        ("HR", "People & Culture"),
        ("FIN", "Finance – Ελληνικά"),
        ("OPS", "Operations 東京"),
        ("LEGAL", "Legal <Compliance>"),
    ];

    private static readonly string[] Names =
    [
        "Zoë Müller", "Renée Côté", "王小明", "Søren Kierkegaard", "Ana María López", "John O'Brien", "Анна Иванова", "Priya Nair",
    ];

    private static readonly string[] TitleTemplates =
    [
        "Réunion — 会议 #{0}",
        "Meeting notes {1:yyyy-MM-dd}",
        "Design: {2} {3} 🚀",
        "Runbook – {2}",
        "FAQ — Ελληνικά {0}",
        "Onboarding 東京 {0}",
        "Q{4} planning & budget",
        "Retro 🎉 sprint {0}",
        "Архитектура {2}",
        "How-to: {2} / {3}",
        "Décision #{0}: {2}",
        "Incident <sev2> {1:yyyyMMdd}",
    ];

    internal static readonly string[] Words =
    [
        "alpha", "release", "données", "会议", "Straße", "naïve", "résumé", "東京", "Ελληνικά", "🚀", "rollout", "budget",
        "pipeline", "customer", "retention", "schema", "R&D", "latency", "Кириллица", "coördinate", "café", "deploy",
        "incident", "roadmap", "owner", "backlog", "😀", "クラウド", "quarterly", "señor", "façade", "jalapeño",
    ];

    public static ConfluenceSite Generate(SiteSpec? spec = null)
    {
        spec ??= new SiteSpec();
        if (spec.Spaces < 0 || spec.PagesPerSpace < 0 || spec.MinBodyBytes < 0 || spec.MaxBodyBytes < spec.MinBodyBytes)
        {
            throw new ArgumentException("Invalid site spec.", nameof(spec));
        }

        var rng = new Random(spec.Seed);
        var site = new ConfluenceSite { SiteName = spec.SiteName };
        var users = Enumerable.Range(0, Names.Length).Select(i => NewAccountId(rng, i % 3 == 2)).ToArray();

        var personal = Math.Clamp(spec.PersonalSpaces, 0, spec.Spaces);
        var archived = Math.Clamp(spec.ArchivedSpaces, 0, spec.Spaces - personal);
        var globalCount = spec.Spaces - personal;

        long spaceId = 98304 + rng.Next(0, 1000);
        long pageId = 65536 + rng.Next(0, 1000);
        var usedKeys = new HashSet<string>(StringComparer.Ordinal);

        for (var s = 0; s < spec.Spaces; s++)
        {
            spaceId += rng.Next(1, 40);
            var isPersonal = s >= globalCount;
            string key;
            string name;
            string author;
            if (isPersonal)
            {
                var u = (s - globalCount) % users.Length;
                author = users[u];
                key = "~" + author.Replace(":", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
                name = Names[u];
            }
            else
            {
                var (k, n) = GlobalSpaceNames[s % GlobalSpaceNames.Length];
                var round = s / GlobalSpaceNames.Length;
                key = round == 0 ? k : k + round.ToString(CultureInfo.InvariantCulture);
                name = round == 0 ? n : $"{n} {round + 1}";
                author = users[rng.Next(users.Length)];
            }

            while (!usedKeys.Add(key))
            {
                key += "X";
            }

            var space = new SimSpace
            {
                Id = spaceId.ToString(CultureInfo.InvariantCulture),
                Key = key,
                Name = name,
                Type = isPersonal ? "personal" : "global",
                Status = !isPersonal && s >= globalCount - archived ? "archived" : "current",
                AuthorId = author,
                CreatedAt = Epoch.AddDays(rng.Next(0, 700)).AddSeconds(rng.Next(0, 86400)),
                Description = isPersonal ? null : $"Space for {name} — generated (seed {spec.Seed}).",
            };
            site.Spaces.Add(space);

            var spacePages = new List<SimPage>(spec.PagesPerSpace);
            var childCounts = new Dictionary<string, int>(StringComparer.Ordinal);
            var lastCreated = space.CreatedAt.AddMinutes(5);
            for (var p = 0; p < spec.PagesPerSpace; p++)
            {
                pageId += rng.Next(1, 4);
                lastCreated = lastCreated.AddMinutes(rng.Next(1, 60 * 24 * 3)).AddMilliseconds(rng.Next(0, 1000));
                var isHome = p == 0;
                var status = "current";
                if (!isHome)
                {
                    var r = rng.NextDouble();
                    if (r < spec.ArchivedPageFraction)
                    {
                        status = "archived";
                    }
                    else if (r < spec.ArchivedPageFraction + spec.TrashedPageFraction)
                    {
                        status = "trashed";
                    }
                    else if (r < spec.ArchivedPageFraction + spec.TrashedPageFraction + spec.DraftPageFraction)
                    {
                        status = "draft";
                    }
                }

                SimPage? parent = null;
                if (!isHome && rng.NextDouble() >= 0.08)
                {
                    // Parent: an earlier published page of the same space (biased to recent ones, making deep trees).
                    for (var attempt = 0; attempt < 4 && parent is null; attempt++)
                    {
                        var idx = rng.NextDouble() < 0.5 ? rng.Next(spacePages.Count) : Math.Max(0, spacePages.Count - 1 - rng.Next(Math.Min(5, spacePages.Count)));
                        var candidate = spacePages[idx];
                        if (candidate.Status is "current" or "archived")
                        {
                            parent = candidate;
                        }
                    }

                    parent ??= spacePages[0];
                }

                var parentKey = parent?.Id ?? "";
                childCounts.TryGetValue(parentKey, out var position);
                childCounts[parentKey] = position + 1;

                var pageAuthor = isPersonal && rng.NextDouble() < 0.8 ? author : users[rng.Next(users.Length)];
                var versionNumber = status == "draft" ? 1 : 1 + (int)Math.Floor(Math.Pow(rng.NextDouble(), 3) * 25);
                var versionCreated = versionNumber == 1 ? lastCreated : lastCreated.AddMinutes(rng.Next(1, 60 * 24 * 120)).AddMilliseconds(rng.Next(0, 1000));
                var title = isHome
                    ? $"{name} Home"
                    : string.Format(
                          CultureInfo.InvariantCulture,
                          TitleTemplates[rng.Next(TitleTemplates.Length)],
                          p,
                          lastCreated,
                          Words[rng.Next(Words.Length)],
                          Words[rng.Next(Words.Length)],
                          1 + (p % 4)) + $" ({p})";
                var bodySize = spec.MinBodyBytes + (int)Math.Round(Math.Pow(rng.NextDouble(), 2) * (spec.MaxBodyBytes - spec.MinBodyBytes));
                var seed = spec.Seed;

                var page = new SimPage
                {
                    Id = pageId.ToString(CultureInfo.InvariantCulture),
                    SpaceId = space.Id,
                    Title = title,
                    Status = status,
                    ParentId = parent?.Id,
                    ParentType = parent is null ? null : "page",
                    Position = position,
                    AuthorId = pageAuthor,
                    OwnerId = rng.NextDouble() < 0.9 ? pageAuthor : users[rng.Next(users.Length)],
                    CreatedAt = lastCreated,
                    Version = new SimVersion
                    {
                        Number = versionNumber,
                        CreatedAt = versionCreated,
                        AuthorId = versionNumber == 1 ? pageAuthor : users[rng.Next(users.Length)],
                        Message = versionNumber > 1 && rng.NextDouble() < 0.3 ? "Updated " + Words[rng.Next(Words.Length)] : "",
                        MinorEdit = versionNumber > 1 && rng.NextDouble() < 0.2,
                    },
                };
                if (page.OwnerId != page.AuthorId)
                {
                    page.LastOwnerId = page.AuthorId;
                }

                page.BodyFactory = pg => StorageBodyGenerator.Generate(seed, pg.NumericId, pg.Version.Number, pg.Title, bodySize, spec.MinBodyBytes, spec.MaxBodyBytes);
                spacePages.Add(page);
                site.Pages.Add(page);
                if (isHome)
                {
                    space.HomepageId = page.Id;
                }
            }
        }

        site.ReserveSpaceId(spaceId);
        site.ReservePageId(pageId);
        AddExtras(site, spec, users);
        return site;
    }

    /// <summary>
    /// Blog posts, comments (with replies), attachments and labels, from a random stream of their own so that the
    /// spaces and pages stay what they were for a given seed.
    /// </summary>
    private static void AddExtras(ConfluenceSite site, SiteSpec spec, string[] users)
    {
        var rng = new Random(unchecked(spec.Seed * 7919 + 17));
        foreach (var space in site.Spaces.ToList())
        {
            for (var b = 0; b < spec.BlogPostsPerSpace; b++)
            {
                var post = site.AddBlogPost(space, $"Blog: {Words[rng.Next(Words.Length)]} {Words[rng.Next(Words.Length)]} ({b})", createdAt: space.CreatedAt.AddDays(rng.Next(1, 400)), versionNumber: 1 + rng.Next(3));
                post.AuthorId = users[rng.Next(users.Length)];
                post.Version.AuthorId = post.AuthorId;
            }
        }

        var containers = site.Pages.Where(p => p.Status is "current" or "archived").Concat(site.BlogPosts).ToList();
        var mediaTypes = new (string Extension, string MediaType)[] { ("pdf", "application/pdf"), ("png", "image/png"), ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), ("txt", "text/plain"), ("csv", "text/csv") };
        foreach (var container in containers)
        {
            for (var i = Count(rng, spec.FooterCommentsPerPage); i > 0; i--)
            {
                AddThread(site, container, "footer", rng, spec, users);
            }

            for (var i = Count(rng, spec.InlineCommentsPerPage); i > 0; i--)
            {
                AddThread(site, container, "inline", rng, spec, users);
            }

            for (var i = Count(rng, spec.AttachmentsPerPage); i > 0; i--)
            {
                var (extension, mediaType) = mediaTypes[rng.Next(mediaTypes.Length)];
                var size = rng.NextDouble() < 0.05 ? 0 : (long)(Math.Pow(rng.NextDouble(), 3) * spec.MaxAttachmentBytes);
                var attachment = site.AddAttachment(container, $"{Words[rng.Next(Words.Length)]} {i}.{extension}", size, mediaType);
                attachment.AuthorId = users[rng.Next(users.Length)];
            }

            for (var i = Count(rng, spec.LabelsPerPage); i > 0; i--)
            {
                site.AddLabel(container, "label-" + rng.Next(20).ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    private static void AddThread(ConfluenceSite site, SimPage container, string kind, Random rng, SiteSpec spec, string[] users)
    {
        var comment = site.AddComment(
            container,
            $"<p>{SecurityElement.Escape(Words[rng.Next(Words.Length)])} {SecurityElement.Escape(Words[rng.Next(Words.Length)])} &amp; more</p>",
            kind,
            authorId: users[rng.Next(users.Length)],
            resolutionStatus: rng.NextDouble() < 0.3 ? "resolved" : "open",
            originalSelection: Words[rng.Next(Words.Length)]);
        while (rng.NextDouble() < spec.ReplyFraction)
        {
            comment = site.AddComment(container, $"<p>Reply: {SecurityElement.Escape(Words[rng.Next(Words.Length)])}</p>", parent: comment, authorId: users[rng.Next(users.Length)]);
        }
    }

    /// <summary>A count between 0 and twice <paramref name="mean"/> whose average is <paramref name="mean"/>.</summary>
    private static int Count(Random rng, double mean) => mean <= 0 ? 0 : (int)Math.Floor(rng.NextDouble() * ((2 * mean) + 1));

    private static string NewAccountId(Random rng, bool uuidStyle)
    {
        Span<byte> bytes = stackalloc byte[16];
        rng.NextBytes(bytes);
        if (uuidStyle)
        {
            return "712020:" + new Guid(bytes).ToString("D");
        }

        return Convert.ToHexStringLower(bytes[..12]);
    }
}

/// <summary>Builds storage-format XHTML deterministically from (seed, page id, version).</summary>
internal static class StorageBodyGenerator
{
    public static string Generate(int seed, long pageId, int version, string title, int targetBytes, int minBytes, int maxBytes)
    {
        var rng = new Random(unchecked((seed * 1_000_003) ^ (int)(pageId * 7919) ^ (int)((ulong)pageId >> 32) ^ (version * 104_729)));
        var sb = new StringBuilder(targetBytes + 256);
        var bytes = 0;
        var first = $"<h2>{Esc(title)}</h2>";
        if (Encoding.UTF8.GetByteCount(first) <= maxBytes)
        {
            sb.Append(first);
            bytes += Encoding.UTF8.GetByteCount(first);
        }

        var macroNo = 0;
        while (bytes < targetBytes)
        {
            var chunk = rng.Next(20) switch
            {
                0 or 1 => $"<h2>{Sentence(rng, 2, 5)}</h2>",
                2 or 3 => List(rng),
                4 => Table(rng),
                5 => Macro(rng, pageId, version, macroNo++),
                _ => $"<p>{Paragraph(rng)}</p>",
            };
            var n = Encoding.UTF8.GetByteCount(chunk);
            if (bytes + n > maxBytes)
            {
                // Fill the rest with a small paragraph when still under the minimum, else stop.
                if (bytes >= minBytes)
                {
                    break;
                }

                chunk = "<p>" + new string('x', Math.Max(0, Math.Min(maxBytes - bytes - 7, minBytes - bytes))) + "</p>";
                n = Encoding.UTF8.GetByteCount(chunk);
                if (bytes + n > maxBytes)
                {
                    break;
                }

                sb.Append(chunk);
                break;
            }

            sb.Append(chunk);
            bytes += n;
        }

        return sb.ToString();
    }

    private static string Esc(string s) => SecurityElement.Escape(s) ?? "";

    private static string Word(Random rng) => ConfluenceSiteGenerator.Words[rng.Next(ConfluenceSiteGenerator.Words.Length)];

    private static string Sentence(Random rng, int min, int max)
    {
        var n = rng.Next(min, max + 1);
        var words = new string[n];
        for (var i = 0; i < n; i++)
        {
            words[i] = Word(rng);
        }

        var s = string.Join(' ', words);
        return Esc(char.ToUpperInvariant(s[0]) + s[1..]);
    }

    private static string Paragraph(Random rng)
    {
        var sb = new StringBuilder();
        var sentences = rng.Next(1, 6);
        for (var i = 0; i < sentences; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            var style = rng.Next(10);
            var sentence = Sentence(rng, 4, 14);
            sb.Append(style switch
            {
                0 => $"<strong>{sentence}</strong>",
                1 => $"<em>{sentence}</em>",
                2 => $"<a href=\"https://example.com/{rng.Next(1000)}?a=1&amp;b=2\">{sentence}</a>",
                3 => $"{sentence} <code>x &lt; y</code>",
                _ => sentence,
            });
            sb.Append('.');
        }

        return sb.ToString();
    }

    private static string List(Random rng)
    {
        var tag = rng.Next(2) == 0 ? "ul" : "ol";
        var sb = new StringBuilder($"<{tag}>");
        for (var i = rng.Next(2, 6); i > 0; i--)
        {
            sb.Append("<li>").Append(Sentence(rng, 2, 8)).Append("</li>");
        }

        return sb.Append($"</{tag}>").ToString();
    }

    private static string Table(Random rng)
    {
        var cols = rng.Next(2, 5);
        var sb = new StringBuilder("<table><tbody><tr>");
        for (var c = 0; c < cols; c++)
        {
            sb.Append("<th>").Append(Sentence(rng, 1, 2)).Append("</th>");
        }

        sb.Append("</tr>");
        for (var r = rng.Next(1, 5); r > 0; r--)
        {
            sb.Append("<tr>");
            for (var c = 0; c < cols; c++)
            {
                sb.Append("<td>").Append(Sentence(rng, 1, 4)).Append("</td>");
            }

            sb.Append("</tr>");
        }

        return sb.Append("</tbody></table>").ToString();
    }

    private static string Macro(Random rng, long pageId, int version, int n)
    {
        var macroId = new Guid((int)pageId, (short)version, (short)n, 1, 2, 3, 4, 5, 6, 7, 8).ToString("D");
        return rng.Next(3) switch
        {
            0 => $"<ac:structured-macro ac:name=\"code\" ac:schema-version=\"1\" ac:macro-id=\"{macroId}\"><ac:parameter ac:name=\"language\">csharp</ac:parameter><ac:plain-text-body><![CDATA[var x = a < b && c > d; // {Word(rng)}]]></ac:plain-text-body></ac:structured-macro>",
            1 => $"<ac:structured-macro ac:name=\"toc\" ac:schema-version=\"1\" ac:macro-id=\"{macroId}\" />",
            _ => $"<ac:structured-macro ac:name=\"info\" ac:schema-version=\"1\" ac:macro-id=\"{macroId}\"><ac:rich-text-body><p>{Sentence(rng, 3, 10)}</p></ac:rich-text-body></ac:structured-macro>",
        };
    }
}
