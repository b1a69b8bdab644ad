using System.Security.Cryptography;

namespace ConfluenceConnector.Simulators.RecordPoint;

/// <summary>What the simulated RecordPoint received. Thread-safe; every read returns a snapshot.</summary>
public sealed class RecordPointStore
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Connector, string ExternalId), List<AggregationVersion>> _aggregations = [];
    private readonly List<(string, string)> _aggregationOrder = [];
    private readonly Dictionary<(string Connector, string ExternalId), List<ItemVersion>> _items = [];
    private readonly List<(string, string)> _itemOrder = [];
    private readonly Dictionary<(string Connector, string Item, string Binary), List<BinaryVersion>> _binaries = [];
    private readonly List<(string, string, string)> _binaryOrder = [];
    private readonly List<StoredAuditEvent> _auditEvents = [];
    private readonly List<StoredNotificationAck> _acks = [];
    private readonly List<PendingNotification> _pending = [];
    private long _conflicts;
    private long _badRequests;
    private long _preconditionFailures;
    private string _connectorStatus = "Enabled";

    public IReadOnlyList<StoredAggregation> Aggregations
    {
        get
        {
            lock (_gate)
            {
                return _aggregationOrder.Select(k => new StoredAggregation(_aggregations[k].ToArray())).ToList();
            }
        }
    }

    public IReadOnlyList<StoredItem> Items
    {
        get
        {
            lock (_gate)
            {
                return _itemOrder.Select(k => new StoredItem(_items[k].ToArray())).ToList();
            }
        }
    }

    public IReadOnlyList<StoredBinary> Binaries
    {
        get
        {
            lock (_gate)
            {
                return _binaryOrder.Select(k => new StoredBinary(_binaries[k].ToArray())).ToList();
            }
        }
    }

    public IReadOnlyList<StoredAuditEvent> AuditEvents
    {
        get
        {
            lock (_gate)
            {
                return _auditEvents.ToList();
            }
        }
    }

    public IReadOnlyList<StoredNotificationAck> NotificationAcks
    {
        get
        {
            lock (_gate)
            {
                return _acks.ToList();
            }
        }
    }

    /// <summary>Notifications RecordPoint holds for the connector until it acknowledges them.</summary>
    public IReadOnlyList<PendingNotification> PendingNotifications
    {
        get
        {
            lock (_gate)
            {
                return _pending.ToList();
            }
        }
    }

    /// <summary>Queues a notification (Ping, ItemDestroyed, ConnectorConfigUpdated, ...) for the connector to poll.</summary>
    public PendingNotification EnqueueNotification(string connectorId, string notificationType, string? itemExternalId = null)
    {
        var notification = new PendingNotification(Guid.NewGuid().ToString(), connectorId, notificationType, DateTimeOffset.UtcNow, itemExternalId);
        lock (_gate)
        {
            _pending.Add(notification);
        }

        return notification;
    }

    /// <summary>Number of 409 answers (repeated submissions).</summary>
    public long Conflicts => Interlocked.Read(ref _conflicts);

    /// <summary>Number of 400 answers (validation, FileTooLarge, ConnectorNotEnabled, ...).</summary>
    public long BadRequests => Interlocked.Read(ref _badRequests);

    /// <summary>Number of 412 answers (binary of an unknown item).</summary>
    public long PreconditionFailures => Interlocked.Read(ref _preconditionFailures);

    /// <summary>"Enabled" (default), "Disabled" or "Error". When not Enabled, submissions answer 400 ConnectorNotEnabled.</summary>
    public string ConnectorStatus
    {
        get
        {
            lock (_gate)
            {
                return _connectorStatus;
            }
        }
    }

    public void SetConnectorStatus(string status)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(status);
        lock (_gate)
        {
            _connectorStatus = status;
        }
    }

    public StoredAggregation? FindAggregation(string externalId) => Aggregations.FirstOrDefault(a => a.ExternalId == externalId);

    public StoredItem? FindItem(string externalId) => Items.FirstOrDefault(i => i.ExternalId == externalId);

    public StoredBinary? FindBinary(string itemExternalId, string binaryExternalId) =>
        Binaries.FirstOrDefault(b => b.ItemExternalId == itemExternalId && b.BinaryExternalId == binaryExternalId);

    /// <summary>Forgets everything received (the connector status and counters too).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _aggregations.Clear();
            _aggregationOrder.Clear();
            _items.Clear();
            _itemOrder.Clear();
            _binaries.Clear();
            _binaryOrder.Clear();
            _auditEvents.Clear();
            _acks.Clear();
            _connectorStatus = "Enabled";
        }

        Interlocked.Exchange(ref _conflicts, 0);
        Interlocked.Exchange(ref _badRequests, 0);
        Interlocked.Exchange(ref _preconditionFailures, 0);
    }

    internal void CountAnswer(int status)
    {
        switch (status)
        {
            case 400:
                Interlocked.Increment(ref _badRequests);
                break;
            case 409:
                Interlocked.Increment(ref _conflicts);
                break;
            case 412:
                Interlocked.Increment(ref _preconditionFailures);
                break;
        }
    }

    /// <summary>False when this exact version (same sourceLastModifiedDate) was already stored.</summary>
    internal bool TryAddAggregation(AggregationVersion version)
    {
        lock (_gate)
        {
            var key = (version.ConnectorId, version.ExternalId);
            if (!_aggregations.TryGetValue(key, out var list))
            {
                _aggregations[key] = list = [];
                _aggregationOrder.Add(key);
            }
            else if (list.Any(v => v.SourceLastModifiedDate == version.SourceLastModifiedDate))
            {
                return false;
            }

            list.Add(version);
            return true;
        }
    }

    /// <summary>False when this exact version (same sourceLastModifiedDate and contentVersion) was already stored.</summary>
    internal bool TryAddItem(Func<bool, ItemVersion> create, string connectorId, string externalId, string parentExternalId, DateTimeOffset lastModified, string contentVersion, out ItemVersion stored)
    {
        lock (_gate)
        {
            var key = (connectorId, externalId);
            if (_items.TryGetValue(key, out var list) && list.Any(v => v.SourceLastModifiedDate == lastModified && v.ContentVersion == contentVersion))
            {
                stored = list.Last(v => v.SourceLastModifiedDate == lastModified && v.ContentVersion == contentVersion);
                return false;
            }

            stored = create(_aggregations.ContainsKey((connectorId, parentExternalId)));
            if (list is null)
            {
                _items[key] = list = [];
                _itemOrder.Add(key);
            }

            list.Add(stored);
            return true;
        }
    }

    internal bool ItemExists(string connectorId, string itemExternalId)
    {
        lock (_gate)
        {
            return _items.ContainsKey((connectorId, itemExternalId));
        }
    }

    /// <summary>
    /// False when the same version of this binary was already committed: same itemSourceLastModifiedDate (or both absent),
    /// and same fileHash when both carry one; when neither carries a date nor a hash, the same content.
    /// </summary>
    internal bool TryAddBinary(BinaryVersion version)
    {
        lock (_gate)
        {
            var key = (version.ConnectorId, version.ItemExternalId, version.BinaryExternalId);
            if (!_binaries.TryGetValue(key, out var list))
            {
                _binaries[key] = list = [];
                _binaryOrder.Add(key);
            }
            else if (list.Any(v => IsSameVersion(v, version)))
            {
                return false;
            }

            list.Add(version);
            return true;
        }
    }

    internal void AddAuditEvent(StoredAuditEvent e)
    {
        lock (_gate)
        {
            _auditEvents.Add(e);
        }
    }

    internal void AddAck(StoredNotificationAck ack)
    {
        lock (_gate)
        {
            _acks.Add(ack);
            _pending.RemoveAll(n => n.Id == ack.NotificationId && n.ConnectorId == ack.ConnectorId);
        }
    }

    private static bool IsSameVersion(BinaryVersion a, BinaryVersion b)
    {
        if (a.ItemSourceLastModifiedDate != b.ItemSourceLastModifiedDate)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(a.FileHash) && !string.IsNullOrEmpty(b.FileHash))
        {
            return string.Equals(a.FileHash, b.FileHash, StringComparison.OrdinalIgnoreCase);
        }

        if (a.ItemSourceLastModifiedDate is not null)
        {
            return true;
        }

        return a.Content.Length == b.Content.Length && SHA256.HashData(a.Content).AsSpan().SequenceEqual(SHA256.HashData(b.Content));
    }
}
