using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;

namespace ConfluenceConnector.Cli.Engine.AzureStorage;

/// <summary>
/// Rewrites the in-process sidecar's sub-orchestration-created history events to DurableTask.Core's own
/// <see cref="SubOrchestrationInstanceCreatedEvent"/> before the backend saves them. The sidecar records its own
/// subclass, which lacks <c>[DataContract]</c>: the Azure Storage backend writes such a history row without its
/// fields, so on the next replay the parent cannot match the child's completion and never resumes.
/// </summary>
internal sealed class SubOrchestrationEventRewriter<TInner>(TInner inner) : ForwardingOrchestrationService<TInner>(inner)
    where TInner : IOrchestrationService, IOrchestrationServiceClient, IOrchestrationServiceQueryClient, IOrchestrationServicePurgeClient
{
    public override Task CompleteTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem, OrchestrationRuntimeState newOrchestrationRuntimeState, IList<TaskMessage> outboundMessages, IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage, OrchestrationState orchestrationState)
    {
        SubOrchestrationEventRewriter.Rewrite(newOrchestrationRuntimeState);
        return base.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    }
}

/// <summary>The rewrite itself, applied by <see cref="SubOrchestrationEventRewriter{TInner}"/> to each history before it is saved.</summary>
internal static class SubOrchestrationEventRewriter
{
    /// <summary>Replaces every subclassed sub-orchestration-created event of <paramref name="state"/> with a plain one carrying the same data.</summary>
    public static void Rewrite(OrchestrationRuntimeState state)
    {
        Replace(state.Events);
        Replace(state.NewEvents);
    }

    private static void Replace(IList<HistoryEvent> events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is SubOrchestrationInstanceCreatedEvent created && created.GetType() != typeof(SubOrchestrationInstanceCreatedEvent))
            {
                events[i] = new SubOrchestrationInstanceCreatedEvent(created.EventId)
                {
                    Timestamp = created.Timestamp,
                    IsPlayed = created.IsPlayed,
                    ExtensionData = created.ExtensionData,
                    Name = created.Name,
                    Version = created.Version,
                    InstanceId = created.InstanceId,
                    Input = created.Input,
                    ClientSpanId = created.ClientSpanId,
                    Tags = created.Tags is null ? null : new Dictionary<string, string>(created.Tags),
                };
            }
        }
    }
}
