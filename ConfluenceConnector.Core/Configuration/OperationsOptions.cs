using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Configuration;

/// <summary>Settings under <c>Operations:</c>.</summary>
public sealed class OperationsOptions
{
    public const string SectionName = "Operations";

    /// <summary>How long the history of finished runs is kept before the purge timer removes it. Default 30 days.</summary>
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>Start-up validation of <c>Operations:*</c>.</summary>
public sealed class OperationsOptionsValidator : IValidateOptions<OperationsOptions>
{
    public ValidateOptionsResult Validate(string? name, OperationsOptions options) =>
        options.HistoryRetention < TimeSpan.FromDays(1)
            ? ValidateOptionsResult.Fail($"Operations:HistoryRetention '{options.HistoryRetention}' is too short: keep at least one day of run history, e.g. 30.00:00:00.")
            : ValidateOptionsResult.Success;
}
