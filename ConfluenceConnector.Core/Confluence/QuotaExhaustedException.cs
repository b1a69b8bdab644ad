using System.Globalization;
using System.Text.RegularExpressions;

namespace ConfluenceConnector.Core.Confluence;

/// <summary>
/// Confluence's rate-limit quota is spent until <see cref="ResumeAt"/>, further than a call may wait. Activities let it
/// through; the orchestration waits on a durable timer and retries the same batch. Only the message crosses the
/// activity boundary, so it carries the resume time (<see cref="TryReadResumeAt"/> reads it back).
/// </summary>
public sealed partial class QuotaExhaustedException(DateTimeOffset resumeAt, string? reason)
    : Exception($"Confluence's rate-limit quota is spent{(reason is null ? string.Empty : $" ({reason})")}: calls resume at {Marker}{resumeAt.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture)}.")
{
    private const string Marker = "resume-at=";
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>When Confluence accepts calls again.</summary>
    public DateTimeOffset ResumeAt { get; } = resumeAt;

    /// <summary>The resume time in an exception message (e.g. <c>FailureDetails.ErrorMessage</c>), if it carries one.</summary>
    public static DateTimeOffset? TryReadResumeAt(string? message) =>
        message is not null && ResumeAtPattern().Match(message) is { Success: true } match
        && DateTimeOffset.TryParseExact(match.Groups[1].Value, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    [GeneratedRegex(@"resume-at=(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")]
    private static partial Regex ResumeAtPattern();
}
