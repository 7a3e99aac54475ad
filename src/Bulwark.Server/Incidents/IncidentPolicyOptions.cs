using Bulwark.Core.Findings;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Incidents;

/// <summary>Configuration section <c>Incidents</c>: grouping and the auto-confirm policy (ADR 7).</summary>
public sealed class IncidentPolicyOptions
{
    public const string Section = "Incidents";

    /// <summary>Confirms new or grown incidents that meet both minimums without waiting for an analyst.</summary>
    public bool AutoConfirm { get; set; }

    public Severity AutoConfirmMinimumSeverity { get; set; } = Severity.Critical;

    public Confidence AutoConfirmMinimumConfidence { get; set; } = Confidence.High;

    /// <summary>A finding joins an incident whose first/last seen span, widened by this much on each side, it overlaps.</summary>
    public TimeSpan GroupingWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Why the options are unusable, or null.</summary>
    public string? Problem() =>
        GroupingWindow <= TimeSpan.Zero || GroupingWindow > TimeSpan.FromDays(366)
            ? "Incidents:GroupingWindow must be more than zero and at most 366 days (e.g. 7.00:00:00)"
            : !Enum.IsDefined(AutoConfirmMinimumSeverity)
                ? "Incidents:AutoConfirmMinimumSeverity must be Info, Low, Medium, High or Critical"
                : !Enum.IsDefined(AutoConfirmMinimumConfidence)
                    ? "Incidents:AutoConfirmMinimumConfidence must be Low, Medium or High"
                    : null;

    /// <summary>Names the setting that is wrong, at start (<c>ValidateOnStart</c>).</summary>
    public sealed class Validator : IValidateOptions<IncidentPolicyOptions>
    {
        public ValidateOptionsResult Validate(string? name, IncidentPolicyOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
