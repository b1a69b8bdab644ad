using ConfluenceConnector.Core.Configuration;
using ConfluenceConnector.Core.Sync.Activities;
using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Tests.Sync;

public sealed class SubmissionSlotsTests
{
    [Fact]
    public async Task Records_of_every_batch_share_the_processs_slots_and_a_freed_slot_goes_to_the_next_record()
    {
        using var slots = new SubmissionSlots(Options.Create(new SyncOptions { SubmitConcurrency = 3 }));
        var running = 0;
        var peak = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new SemaphoreSlim(0);

        async Task Record()
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            started.Release();
            await release.Task;
            Interlocked.Decrement(ref running);
        }

        // Two batches of four records each: eight records, three slots.
        var batches = Enumerable.Range(0, 2).Select(_ => Parallel.ForEachAsync(
            Enumerable.Range(0, 4),
            new ParallelOptions { MaxDegreeOfParallelism = slots.Count },
            async (_, ct) => await slots.RunAsync(Record, ct))).ToList();

        for (var i = 0; i < 3; i++)
        {
            Assert.True(await started.WaitAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.False(await started.WaitAsync(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(3, Volatile.Read(ref running));

        release.SetResult();
        await Task.WhenAll(batches).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, peak);
        Assert.Equal(0, running);
    }

    [Fact]
    public async Task A_batch_that_runs_alone_gets_every_slot()
    {
        using var slots = new SubmissionSlots(Options.Create(new SyncOptions { SubmitConcurrency = 6 }));
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = 0;

        var batch = Parallel.ForEachAsync(
            Enumerable.Range(0, 12),
            new ParallelOptions { MaxDegreeOfParallelism = slots.Count },
            async (_, ct) => await slots.RunAsync(
                async () =>
                {
                    if (Interlocked.Increment(ref running) == 6)
                    {
                        all.TrySetResult();
                    }

                    await all.Task;
                },
                ct));

        await all.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await batch.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(12, running);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
