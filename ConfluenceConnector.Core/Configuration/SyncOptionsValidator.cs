using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Configuration;

/// <summary>Start-up validation of <c>Sync:*</c>.</summary>
public sealed class SyncOptionsValidator : IValidateOptions<SyncOptions>
{
    public ValidateOptionsResult Validate(string? name, SyncOptions options)
    {
        var failures = new List<string>();

        var fields = options.Schedule?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (fields.Length != 6)
        {
            failures.Add($"Sync:Schedule '{options.Schedule}' is not a six-field NCRONTAB expression ({{second}} {{minute}} {{hour}} {{day}} {{month}} {{day-of-week}}), e.g. '0 0 2 * * *' for 02:00 UTC nightly.");
        }

        if (options.PageSize is < 1 or > 250)
        {
            failures.Add($"Sync:PageSize {options.PageSize} is out of range: Confluence lists take 1 to 250 (250 costs the fewest requests).");
        }

        if (!Enum.GetNames<ListingStrategy>().Contains(options.ListingStrategy, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"Sync:ListingStrategy '{options.ListingStrategy}' is not one of {string.Join(", ", Enum.GetNames<ListingStrategy>())}: use Auto (the default) unless you need to force one.");
        }

        if (options.SubmitConcurrency is < 1 or > 256)
        {
            failures.Add($"Sync:SubmitConcurrency {options.SubmitConcurrency} is out of range: use 1 to 256.");
        }

        if (options.MaxParallelSpaces is < 1 or > 64)
        {
            failures.Add($"Sync:MaxParallelSpaces {options.MaxParallelSpaces} is out of range: use 1 to 64.");
        }

        if (options.ActivityMaxAttempts is < 1 or > 20)
        {
            failures.Add($"Sync:ActivityMaxAttempts {options.ActivityMaxAttempts} is out of range: use 1 to 20.");
        }

        if (options.ActivityFirstRetryInterval <= TimeSpan.Zero || options.ActivityFirstRetryInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add($"Sync:ActivityFirstRetryInterval '{options.ActivityFirstRetryInterval}' is out of range: use a time span above 00:00:00 and at most 00:10:00, e.g. 00:00:10.");
        }

        if (options.ConnectorPollInterval < TimeSpan.FromMilliseconds(100) || options.ConnectorPollInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"Sync:ConnectorPollInterval '{options.ConnectorPollInterval}' is out of range: use 00:00:01 to 01:00:00, e.g. 00:05:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
