using ConfluenceConnector.Core.Operations;
using Microsoft.Azure.Functions.Worker;

namespace ConfluenceConnector.Functions.Operations;

/// <summary>Polls RecordPoint's notifications for the connector every five minutes and acknowledges each one.</summary>
public sealed class NotificationsTimer(NotificationProcessor processor)
{
    [Function(nameof(NotificationsTimer))]
    public Task Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        processor.ProcessAsync(cancellationToken);
}
