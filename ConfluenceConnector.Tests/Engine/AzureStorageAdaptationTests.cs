using System.Runtime.Serialization;
using ConfluenceConnector.Cli.Engine.AzureStorage;
using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.History;
using Google.Protobuf.Collections;
using Microsoft.DurableTask.Testing.Sidecar.Dispatcher;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace ConfluenceConnector.Tests.Engine;

/// <summary>The two adaptations that let the in-process sidecar run on DurableTask.AzureStorage.</summary>
public sealed class AzureStorageAdaptationTests
{
    private static TaskMessage StartMessageWithSidecarTags()
    {
        var tags = new MapField<string, string> { ["origin"] = "sidecar", ["run"] = "7" };
        return new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = "i1", ExecutionId = "e1" },
            Event = new ExecutionStartedEvent(-1, "{}") { Name = "FullSyncOrchestrator", Tags = tags },
        };
    }

    /// <summary>Serializes as the backend's MessageManager does: Newtonsoft, $type names, the custom binder first (null = the backend's own naming).</summary>
    private static TaskMessage RoundTrip(TaskMessage message, ICustomTypeBinder? binder)
    {
        var settings = new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.Objects, SerializationBinder = new BackendBinder(binder) };
        return JsonConvert.DeserializeObject<TaskMessage>(JsonConvert.SerializeObject(message, settings), settings)!;
    }

    [Fact]
    public void Sidecar_tags_written_as_protobuf_maps_cannot_be_read_back_with_the_backends_own_type_names()
    {
        Assert.ThrowsAny<Exception>(() => RoundTrip(StartMessageWithSidecarTags(), binder: null));
    }

    [Fact]
    public void The_map_binder_writes_and_reads_sidecar_tags_as_a_string_dictionary_and_keeps_every_other_type()
    {
        var binder = new ProtobufMapTypeBinder();

        var read = RoundTrip(StartMessageWithSidecarTags(), binder);

        var started = Assert.IsType<ExecutionStartedEvent>(read.Event);
        Assert.Equal("FullSyncOrchestrator", started.Name);
        Assert.Equal(new Dictionary<string, string> { ["origin"] = "sidecar", ["run"] = "7" }, started.Tags);
        binder.BindToName(typeof(MapField<string, string>), out _, out var mapName);
        Assert.Equal(typeof(Dictionary<string, string>).FullName, mapName);
        binder.BindToName(typeof(ExecutionStartedEvent), out var assembly, out var eventName);
        Assert.Null(assembly);
        Assert.Equal(typeof(ExecutionStartedEvent).FullName, eventName);
        Assert.Equal(typeof(Dictionary<string, string>), binder.BindToType(null!, typeof(MapField<string, string>).FullName!));
    }

    [Fact]
    public void The_sidecars_sub_orchestration_created_event_is_not_a_data_contract_so_the_backend_would_save_it_empty()
    {
        Assert.False(typeof(GrpcSubOrchestrationInstanceCreatedEvent).IsDefined(typeof(DataContractAttribute), inherit: false));
        Assert.True(typeof(SubOrchestrationInstanceCreatedEvent).IsDefined(typeof(DataContractAttribute), inherit: false));
    }

    [Fact]
    public void The_rewriter_replaces_the_sidecars_sub_orchestration_events_with_core_ones_carrying_the_same_data()
    {
        var timestamp = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var state = new OrchestrationRuntimeState();
        state.AddEvent(new OrchestratorStartedEvent(-1));
        state.AddEvent(new ExecutionStartedEvent(-1, "{}") { Name = "FullSyncOrchestrator", OrchestrationInstance = new OrchestrationInstance { InstanceId = "p", ExecutionId = "e" } });
        state.AddEvent(new GrpcSubOrchestrationInstanceCreatedEvent(3)
        {
            Name = "SpaceSyncOrchestrator",
            InstanceId = "p:space:1",
            Input = "{\"spaceId\":\"1\"}",
            Version = "v",
            Timestamp = timestamp,
            Tags = new MapField<string, string> { ["k"] = "v" },
        });

        SubOrchestrationEventRewriter.Rewrite(state);

        foreach (var events in new[] { state.Events, state.NewEvents })
        {
            var created = Assert.Single(events.OfType<SubOrchestrationInstanceCreatedEvent>());
            Assert.Equal(typeof(SubOrchestrationInstanceCreatedEvent), created.GetType());
            Assert.Equal((3, "SpaceSyncOrchestrator", "p:space:1", "{\"spaceId\":\"1\"}", "v", timestamp), (created.EventId, created.Name, created.InstanceId, created.Input, created.Version, created.Timestamp));
            Assert.Equal(typeof(Dictionary<string, string>), created.Tags.GetType());
            Assert.Equal("v", created.Tags["k"]);
        }

        Assert.Equal(3, state.Events.Count);
    }

    private sealed class BackendBinder(ICustomTypeBinder? custom) : ISerializationBinder
    {
        public void BindToName(Type serializedType, out string? assemblyName, out string? typeName)
        {
            if (custom is not null)
            {
                custom.BindToName(serializedType, out assemblyName, out typeName);
                return;
            }

            assemblyName = null;
            typeName = serializedType.FullName;
        }

        public Type BindToType(string? assemblyName, string typeName) =>
            typeName.StartsWith("DurableTask.Core", StringComparison.Ordinal) ? typeof(TaskMessage).Assembly.GetType(typeName, throwOnError: true)!
            : custom?.BindToType(assemblyName!, typeName) ?? Type.GetType(typeName, throwOnError: true)!;
    }
}
