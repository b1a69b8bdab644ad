using DurableTask.Core;
using DurableTask.Core.Query;

namespace ConfluenceConnector.Cli.Engine;

/// <summary>
/// The largest orchestration history the local engine has held: events of one execution of one instance, measured each
/// time an orchestration work item completes (before a ContinueAsNew replaces the history with a fresh one).
/// </summary>
public sealed class HistoryStatistics
{
    private readonly object gate = new();

    /// <summary>Most events any one execution's history reached.</summary>
    public int MaxEvents { get; private set; }

    /// <summary>The orchestration (name) whose execution reached <see cref="MaxEvents"/>; null before the first.</summary>
    public string? MaxEventsOrchestration { get; private set; }

    /// <summary>Orchestration work items completed (episodes).</summary>
    public long Episodes { get; private set; }

    internal void Observe(OrchestrationRuntimeState? before, OrchestrationRuntimeState? after)
    {
        var (events, name) = (before?.Events.Count ?? 0) >= (after?.Events.Count ?? 0)
            ? (before?.Events.Count ?? 0, before?.Name)
            : (after!.Events.Count, after.Name);
        lock (gate)
        {
            Episodes++;
            if (events > MaxEvents)
            {
                MaxEvents = events;
                MaxEventsOrchestration = name;
            }
        }
    }
}

/// <summary>Feeds <see cref="HistoryStatistics"/> from every completed orchestration work item; everything else passes straight through.</summary>
internal sealed class HistoryMeasuringOrchestrationService<TInner>(TInner inner, HistoryStatistics statistics)
    : ForwardingOrchestrationService<TInner>(inner)
    where TInner : IOrchestrationService, IOrchestrationServiceClient, IOrchestrationServiceQueryClient, IOrchestrationServicePurgeClient
{
    public override Task CompleteTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem, OrchestrationRuntimeState newOrchestrationRuntimeState, IList<TaskMessage> outboundMessages, IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage, OrchestrationState orchestrationState)
    {
        statistics.Observe(workItem.OrchestrationRuntimeState, newOrchestrationRuntimeState);
        return base.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    }
}
