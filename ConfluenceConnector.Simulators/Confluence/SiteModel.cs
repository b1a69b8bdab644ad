namespace ConfluenceConnector.Simulators.Confluence;

/// <summary>
/// The content of a simulated Confluence site. Mutable so that tests can build sites by hand.
/// Mutate it through the helpers (or while no request is in flight): the simulator reads it under <see cref="SyncRoot"/>.
/// </summary>
public sealed class ConfluenceSite
{
    private long _lastSpaceId = 98303;
    private long _lastPageId = 65535;
    private readonly Dictionary<string, SimLabel> _labelsByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimAttachment> _attachmentsById = new(StringComparer.Ordinal);

    public string SiteName { get; set; } = "demo";

    public List<SimSpace> Spaces { get; } = [];

    public List<SimPage> Pages { get; } = [];

    /// <summary>Blog posts (never have a parent).</summary>
    public List<SimPage> BlogPosts { get; } = [];

    /// <summary>Footer and inline comments of pages and blog posts, replies included.</summary>
    public List<SimComment> Comments { get; } = [];

    /// <summary>Attachments of pages and blog posts.</summary>
    public List<SimAttachment> Attachments { get; } = [];

    /// <summary>Labels by content id.</summary>
    public Dictionary<string, List<SimLabel>> Labels { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Key that signs listing cursors. It belongs to the site, so that every simulator serving the same site accepts
    /// the others' cursors, as every node of a Confluence site does.
    /// </summary>
    internal byte[] CursorKey { get; } = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    /// <summary>Lock held by the simulator while it reads <see cref="Spaces"/> and <see cref="Pages"/>.</summary>
    public object SyncRoot { get; } = new();

    public SimSpace AddSpace(
        string key,
        string name,
        string type = "global",
        string status = "current",
        string authorId = "5b10a2844c20165700ede21a",
        DateTimeOffset? createdAt = null,
        string? id = null,
        string? description = null)
    {
        var space = new SimSpace
        {
            Id = id ?? NextSpaceId().ToString(System.Globalization.CultureInfo.InvariantCulture),
            Key = key,
            Name = name,
            Type = type,
            Status = status,
            AuthorId = authorId,
            CreatedAt = createdAt ?? new DateTimeOffset(2021, 1, 4, 9, 0, 0, TimeSpan.Zero),
            Description = description,
        };
        lock (SyncRoot)
        {
            ReserveSpaceId(space.NumericId);
            Spaces.Add(space);
        }

        return space;
    }

    /// <summary>Adds a page; the first root page added to a space without a homepage becomes its homepage.</summary>
    public SimPage AddPage(
        SimSpace space,
        string title,
        SimPage? parent = null,
        string status = "current",
        string? bodyStorage = null,
        string? authorId = null,
        DateTimeOffset? createdAt = null,
        int versionNumber = 1,
        string? id = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        var created = createdAt ?? space.CreatedAt.AddDays(1);
        var author = authorId ?? space.AuthorId;
        var page = new SimPage
        {
            Id = id ?? NextPageId().ToString(System.Globalization.CultureInfo.InvariantCulture),
            SpaceId = space.Id,
            Title = title,
            Status = status,
            ParentId = parent?.Id,
            ParentType = parent is null ? null : "page",
            AuthorId = author,
            OwnerId = author,
            CreatedAt = created,
            Version = new SimVersion { Number = versionNumber, CreatedAt = created.AddMinutes(versionNumber - 1), AuthorId = author },
            BodyStorage = bodyStorage ?? $"<p>{System.Security.SecurityElement.Escape(title)}</p>",
        };
        lock (SyncRoot)
        {
            ReservePageId(page.NumericId);
            page.Position = parent is null ? 0 : Pages.Count(p => p.ParentId == parent.Id);
            Pages.Add(page);
            if (space.HomepageId is null && parent is null && status == "current")
            {
                space.HomepageId = page.Id;
            }
        }

        return page;
    }

    /// <summary>Adds a blog post to a space.</summary>
    public SimPage AddBlogPost(SimSpace space, string title, string status = "current", string? bodyStorage = null, DateTimeOffset? createdAt = null, int versionNumber = 1)
    {
        ArgumentNullException.ThrowIfNull(space);
        var created = createdAt ?? space.CreatedAt.AddDays(2);
        var post = new SimPage
        {
            Id = NextPageId().ToString(System.Globalization.CultureInfo.InvariantCulture),
            SpaceId = space.Id,
            Title = title,
            Status = status,
            AuthorId = space.AuthorId,
            OwnerId = space.AuthorId,
            CreatedAt = created,
            Version = new SimVersion { Number = versionNumber, CreatedAt = created.AddMinutes(versionNumber - 1), AuthorId = space.AuthorId },
            BodyStorage = bodyStorage ?? $"<p>{System.Security.SecurityElement.Escape(title)}</p>",
        };
        lock (SyncRoot)
        {
            BlogPosts.Add(post);
        }

        return post;
    }

    /// <summary>Adds a footer or inline comment (a reply when <paramref name="parent"/> is given) to a page or blog post.</summary>
    public SimComment AddComment(SimPage container, string body, string kind = "footer", SimComment? parent = null, string? authorId = null, string? resolutionStatus = null, string? originalSelection = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        var comment = new SimComment
        {
            Id = NextPageId().ToString(System.Globalization.CultureInfo.InvariantCulture),
            Kind = parent?.Kind ?? kind,
            ContainerId = container.Id,
            ContainerType = BlogPosts.Contains(container) ? "blogpost" : "page",
            ParentCommentId = parent?.Id,
            AuthorId = authorId ?? container.AuthorId,
            CreatedAt = container.Version.CreatedAt.AddHours(1),
            BodyStorage = body,
            ResolutionStatus = (parent?.Kind ?? kind) == "inline" ? resolutionStatus ?? "open" : null,
            OriginalSelection = (parent?.Kind ?? kind) == "inline" && parent is null ? originalSelection ?? container.Title : null,
        };
        lock (SyncRoot)
        {
            Comments.Add(comment);
        }

        return comment;
    }

    /// <summary>Adds an attachment of <paramref name="size"/> generated bytes to a page or blog post.</summary>
    public SimAttachment AddAttachment(SimPage container, string fileName, long size, string mediaType = "application/octet-stream")
    {
        ArgumentNullException.ThrowIfNull(container);
        var n = NextPageId();
        var attachment = new SimAttachment
        {
            Id = SimAttachment.NewId(n),
            ContainerId = container.Id,
            ContainerType = BlogPosts.Contains(container) ? "blogpost" : "page",
            Title = fileName,
            MediaType = mediaType,
            FileSize = size,
            FileId = new Guid((int)n, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8).ToString("D"),
            AuthorId = container.AuthorId,
            CreatedAt = container.CreatedAt.AddMinutes(30),
            ContentSeed = unchecked((int)n * 17),
        };
        lock (SyncRoot)
        {
            Attachments.Add(attachment);
            _attachmentsById[attachment.Id] = attachment;
        }

        return attachment;
    }

    /// <summary>The attachment added with <see cref="AddAttachment"/> under this id (read under <see cref="SyncRoot"/>).</summary>
    internal SimAttachment? FindAttachment(string id) => _attachmentsById.GetValueOrDefault(id);

    /// <summary>
    /// Adds a label to a page or blog post. A label is one site-wide object (the same name keeps its id everywhere), and
    /// content carries it once: adding it again changes nothing.
    /// </summary>
    public SimLabel AddLabel(SimPage container, string name)
    {
        ArgumentNullException.ThrowIfNull(container);
        SimLabel label;
        lock (SyncRoot)
        {
            if (!_labelsByName.TryGetValue(name, out var known))
            {
                _labelsByName[name] = known = new SimLabel(NextPageId().ToString(System.Globalization.CultureInfo.InvariantCulture), name);
            }

            label = known;

            if (!Labels.TryGetValue(container.Id, out var list))
            {
                Labels[container.Id] = list = [];
            }

            if (!list.Contains(label))
            {
                list.Add(label);
            }
        }

        return label;
    }

    internal long NextSpaceId() => Interlocked.Add(ref _lastSpaceId, 1);

    internal long NextPageId() => Interlocked.Increment(ref _lastPageId);

    internal void ReservePageId(long id)
    {
        long seen;
        while (id > (seen = Interlocked.Read(ref _lastPageId)) && Interlocked.CompareExchange(ref _lastPageId, id, seen) != seen)
        {
        }
    }

    internal void ReserveSpaceId(long id)
    {
        long seen;
        while (id > (seen = Interlocked.Read(ref _lastSpaceId)) && Interlocked.CompareExchange(ref _lastSpaceId, id, seen) != seen)
        {
        }
    }
}

public sealed class SimSpace
{
    private string _id = "";

    /// <summary>Numeric string, e.g. "98304".</summary>
    public string Id
    {
        get => _id;
        set
        {
            _id = value;
            NumericId = ConfluenceIds.Parse(value);
        }
    }

    internal long NumericId { get; private set; } = -1;

    /// <summary>Space key; personal space keys start with '~'.</summary>
    public string Key { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>"global" or "personal" (the spec also knows collaboration, knowledge_base, system, ...).</summary>
    public string Type { get; set; } = "global";

    /// <summary>"current" or "archived".</summary>
    public string Status { get; set; } = "current";

    public string AuthorId { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public string? HomepageId { get; set; }

    /// <summary>Plain-text description.</summary>
    public string? Description { get; set; }
}

public sealed class SimPage
{
    private string _id = "";
    private string? _body;

    /// <summary>Numeric string, e.g. "65601".</summary>
    public string Id
    {
        get => _id;
        set
        {
            _id = value;
            NumericId = ConfluenceIds.Parse(value);
        }
    }

    internal long NumericId { get; private set; } = -1;

    public string SpaceId { get; set; } = "";

    public string Title { get; set; } = "";

    /// <summary>"current", "archived", "trashed", "draft" or "deleted".</summary>
    public string Status { get; set; } = "current";

    public string? ParentId { get; set; }

    /// <summary>"page", "folder", "whiteboard", "database", "embed", or null for a root page.</summary>
    public string? ParentType { get; set; }

    public int Position { get; set; }

    public string AuthorId { get; set; } = "";

    public string OwnerId { get; set; } = "";

    public string? LastOwnerId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public SimVersion Version { get; set; } = new();

    /// <summary>
    /// Storage-format XHTML. Generated pages compute it on demand from (seed, page id, version number),
    /// so bumping <see cref="SimVersion.Number"/> changes the body; setting it stores an explicit value.
    /// </summary>
    public string BodyStorage
    {
        get => _body ?? BodyFactory?.Invoke(this) ?? string.Empty;
        set
        {
            _body = value;
            BodyFactory = null;
        }
    }

    internal Func<SimPage, string>? BodyFactory { get; set; }
}

public sealed class SimVersion
{
    public int Number { get; set; } = 1;

    public DateTimeOffset CreatedAt { get; set; }

    public string AuthorId { get; set; } = "";

    public string Message { get; set; } = "";

    public bool MinorEdit { get; set; }
}

internal static class ConfluenceIds
{
    public static long Parse(string? value) =>
        long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : -1;
}
