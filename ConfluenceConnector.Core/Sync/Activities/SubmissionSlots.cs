using ConfluenceConnector.Core.Configuration;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Sync.Activities;

/// <summary>
/// The records this process submits at once (<c>Sync:SubmitConcurrency</c>), shared by every batch running in it: a
/// batch takes a slot per record and gives it back when the record is done. While many spaces sync, their batches
/// share the slots; a batch that runs alone (the last spaces of a run, a site with one large space) gets them all,
/// so the end of a run goes as fast as its middle.
/// </summary>
public sealed class SubmissionSlots(IOptions<SyncOptions> options) : IDisposable
{
    private readonly SemaphoreSlim slots = new(options.Value.SubmitConcurrency, options.Value.SubmitConcurrency);

    /// <summary>How many records may be in flight at once in this process.</summary>
    public int Count { get; } = options.Value.SubmitConcurrency;

    /// <summary>Runs <paramref name="submit"/> once a slot is free, and frees it after.</summary>
    public async Task RunAsync(Func<Task> submit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submit);
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await submit().ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }

    public void Dispose() => slots.Dispose();
}
