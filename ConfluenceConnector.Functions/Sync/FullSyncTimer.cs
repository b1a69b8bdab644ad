using ConfluenceConnector.Core.Sync;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace ConfluenceConnector.Functions.Sync;

/// <summary>Starts the nightly full sync on the <c>Sync:Schedule</c> NCRONTAB setting, never while one is running.</summary>
public sealed class FullSyncTimer(SyncStarter starter)
{
    [Function(nameof(FullSyncTimer))]
    public Task Run(
        [TimerTrigger("%Sync:Schedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        starter.StartFullSyncAsync(client, cancellationToken);
}
