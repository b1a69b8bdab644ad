using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Cli.Engine;

/// <summary>Where the local engine keeps orchestration state.</summary>
public enum EngineBackend
{
    /// <summary>In memory, inside the runner: fast, gone when the process ends.</summary>
    Memory,

    /// <summary>Azure Storage (Azurite locally, or a real account): the Durable Functions backend; survives crashes and is shared by several runners.</summary>
    AzureStorage,
}

/// <summary>Settings under <c>Engine:</c> (local runner only).</summary>
public sealed class EngineOptions
{
    public const string SectionName = "Engine";

    /// <summary>The task hub name used when none is set.</summary>
    public const string DefaultTaskHub = "ConfluenceConnector";

    /// <summary><see cref="EngineBackend.Memory"/> (default) or <see cref="EngineBackend.AzureStorage"/>.</summary>
    public EngineBackend Backend { get; set; } = EngineBackend.Memory;

    /// <summary>Azure Storage connection string of the task hub (AzureStorage backend only).</summary>
    public string? StorageConnectionString { get; set; }

    /// <summary>Task hub name: the prefix of its queues, tables and blob containers (AzureStorage backend only).</summary>
    public string TaskHub { get; set; } = DefaultTaskHub;

    /// <summary>
    /// How long a dequeued work item stays hidden from other workers (AzureStorage backend only). The in-process sidecar
    /// never renews message locks, so this must exceed the longest activity; it is also how long the messages that a
    /// killed worker held stay hidden before another worker takes them.
    /// </summary>
    public TimeSpan WorkItemVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Orchestration work items the engine runs at once.</summary>
    public int MaxOrchestrations { get; set; } = 32;

    /// <summary>Activity work items the engine runs at once.</summary>
    public int MaxActivities { get; set; } = 32;
}

/// <summary>Start-up validation of <c>Engine:*</c>.</summary>
public sealed class EngineOptionsValidator : IValidateOptions<EngineOptions>
{
    public ValidateOptionsResult Validate(string? name, EngineOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Backend))
        {
            failures.Add($"Engine:Backend '{options.Backend}' is not known: use Memory or AzureStorage.");
        }

        if (options.Backend == EngineBackend.AzureStorage)
        {
            if (string.IsNullOrWhiteSpace(options.StorageConnectionString))
            {
                failures.Add("Engine:StorageConnectionString is required when Engine:Backend is AzureStorage: an Azure Storage connection string (for Azurite: DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=...;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=...;TableEndpoint=..., or UseDevelopmentStorage=true).");
            }
            else if (!IsConnectionString(options.StorageConnectionString))
            {
                failures.Add("Engine:StorageConnectionString is not an Azure Storage connection string: expected Key=Value pairs separated by ';' with AccountName and AccountKey (or UseDevelopmentStorage=true).");
            }

            if (!IsTaskHubName(options.TaskHub))
            {
                failures.Add($"Engine:TaskHub '{options.TaskHub}' is not a valid task hub name: 3 to 45 letters and digits, starting with a letter, e.g. {EngineOptions.DefaultTaskHub}.");
            }

            if (options.WorkItemVisibilityTimeout < TimeSpan.FromSeconds(10) || options.WorkItemVisibilityTimeout > TimeSpan.FromDays(7))
            {
                failures.Add($"Engine:WorkItemVisibilityTimeout '{options.WorkItemVisibilityTimeout}' is out of range: use 00:00:10 to 7.00:00:00, longer than the longest activity (e.g. 00:05:00).");
            }
        }

        if (options.MaxOrchestrations is < 1 or > 1000)
        {
            failures.Add($"Engine:MaxOrchestrations {options.MaxOrchestrations} is out of range: use 1 to 1000.");
        }

        if (options.MaxActivities is < 1 or > 1000)
        {
            failures.Add($"Engine:MaxActivities {options.MaxActivities} is out of range: use 1 to 1000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsTaskHubName(string? name) =>
        name is { Length: >= 3 and <= 45 } && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit);

    private static bool IsConnectionString(string value)
    {
        var pairs = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .ToList();
        if (pairs.Count == 0 || pairs.Any(p => p.Length != 2 || p[0].Length == 0))
        {
            return false;
        }

        var keys = pairs.Select(p => p[0]).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return keys.Contains("UseDevelopmentStorage") || (keys.Contains("AccountName") && keys.Contains("AccountKey"));
    }
}
