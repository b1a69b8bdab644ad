using Microsoft.Extensions.Options;

namespace ConfluenceConnector.Core.Configuration;

/// <summary>Reads the setting failures out of a start-up validation exception (one, or several aggregated).</summary>
public static class SettingsErrors
{
    /// <summary>Every failure message, or null when <paramref name="exception"/> is not a settings validation failure.</summary>
    public static IReadOnlyList<string>? From(Exception exception) => exception switch
    {
        OptionsValidationException single => [.. single.Failures],
        AggregateException many when many.InnerExceptions.Count > 0 && many.InnerExceptions.All(e => e is OptionsValidationException) =>
            [.. many.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)],
        _ => null,
    };
}
