namespace ConfluenceConnector.Core.Sync;

/// <summary>
/// A failure that retrying cannot fix (credentials refused, connector unknown or disabled in RecordPoint, the space
/// gone). Activities throw it so that orchestrations stop retrying and report the reason.
/// </summary>
public sealed class PermanentSyncException(string message, Exception? innerException = null) : Exception(message, innerException);
