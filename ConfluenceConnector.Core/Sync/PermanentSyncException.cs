namespace ConfluenceConnector.Core.Sync;

/// <summary>
/// A failure that retrying cannot fix (credentials refused, connector unknown or disabled in RecordPoint, the space
/// gone). Activities throw it so that orchestrations stop retrying and report the reason.
/// </summary>
public sealed class PermanentSyncException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>
/// RecordPoint answered ConnectorNotEnabled: the connector was switched to Disabled while a sync ran. Not retried as a
/// transient failure; the orchestration waits until the connector is Enabled again and resumes from the same place.
/// </summary>
public sealed class ConnectorDisabledException(string message, Exception? innerException = null) : Exception(message, innerException);
