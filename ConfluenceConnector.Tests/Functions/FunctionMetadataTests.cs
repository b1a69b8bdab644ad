using System.Text.Json.Nodes;
using ConfluenceConnector.Core.Sync;
using ConfluenceConnector.Tests.Support;
using Microsoft.DurableTask;

namespace ConfluenceConnector.Tests.Functions;

/// <summary>
/// The Functions project's build emits functions.metadata, the function list the host loads. These tests read it
/// and check that every Core orchestrator and activity has its adapter under the same name, with the right trigger.
/// </summary>
public sealed class FunctionMetadataTests
{
    private static readonly Lazy<Dictionary<string, JsonNode>> Functions = new(Load);

    [Fact]
    public void Every_registered_orchestrator_and_activity_has_a_function_of_the_same_name()
    {
        var orchestrators = typeof(SyncTasks).Assembly.GetTypes().Where(t => IsSubclassOfGeneric(t, typeof(TaskOrchestrator<,>))).ToList();
        var activities = typeof(SyncTasks).Assembly.GetTypes().Where(t => IsSubclassOfGeneric(t, typeof(TaskActivity<,>))).ToList();

        Assert.NotEmpty(orchestrators);
        Assert.NotEmpty(activities);
        foreach (var type in orchestrators)
        {
            Assert.Equal("orchestrationTrigger", Trigger(type.Name));
        }

        foreach (var type in activities)
        {
            Assert.Equal("activityTrigger", Trigger(type.Name));
        }
    }

    [Fact]
    public void The_timer_runs_on_the_schedule_setting_and_gets_a_durable_client()
    {
        var timer = Functions.Value["FullSyncTimer"];
        var bindings = timer["bindings"]!.AsArray();

        Assert.Contains(bindings, b => (string?)b!["type"] == "timerTrigger" && (string?)b["schedule"] == "%Sync:Schedule%");
        Assert.Contains(bindings, b => (string?)b!["type"] == "durableClient");
    }

    private static string? Trigger(string functionName)
    {
        Assert.True(Functions.Value.TryGetValue(functionName, out var function), $"functions.metadata has no function '{functionName}'");
        return (string?)function!["bindings"]!.AsArray().Single(b => ((string?)b!["type"])!.EndsWith("Trigger", StringComparison.Ordinal))!["type"];
    }

    private static bool IsSubclassOfGeneric(Type type, Type generic)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == generic)
            {
                return !type.IsAbstract;
            }
        }

        return false;
    }

    private static Dictionary<string, JsonNode> Load()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(RepoPaths.Root, "ConfluenceConnector.Functions", "bin", configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: build ConfluenceConnector.Functions ({configuration}) first.");
        return JsonNode.Parse(File.ReadAllText(path))!.AsArray().ToDictionary(f => (string)f!["name"]!, f => f!);
    }
}
