using System.Globalization;
using Bulwark.Core.Findings;
using Bulwark.Data.Incidents;
using Bulwark.Data.Notification;
using Bulwark.Server.Incidents;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Analyst;

/// <summary>The analyst pages' words for levels, statuses and instants, in the reader's language.</summary>
public static class AnalystWords
{
    public static string Severity(Severity severity, IStringLocalizer<Text.AnalystText> t) => severity switch
    {
        Core.Findings.Severity.Critical => t["Critical"],
        Core.Findings.Severity.High => t["High"],
        Core.Findings.Severity.Medium => t["Medium"],
        Core.Findings.Severity.Low => t["Low"],
        _ => t["Information"],
    };

    /// <summary>The portal's badge class of a severity (<c>sev-critical</c>…).</summary>
    public static string SeverityClass(Severity severity) => "badge sev-" + severity.ToText();

    public static string Confidence(Confidence confidence, IStringLocalizer<Text.AnalystText> t) => confidence switch
    {
        Core.Findings.Confidence.High => t["High confidence"],
        Core.Findings.Confidence.Medium => t["Medium confidence"],
        _ => t["Low confidence"],
    };

    public static string Status(IncidentStatus status, IStringLocalizer<Text.AnalystText> t) => status switch
    {
        IncidentStatus.Unconfirmed => t["Unconfirmed"],
        IncidentStatus.Confirmed => t["Confirmed"],
        IncidentStatus.Dismissed => t["Dismissed"],
        _ => t["Merged"],
    };

    public static string Audience(NoticeAudience audience, IStringLocalizer<Text.AnalystText> t) => audience switch
    {
        NoticeAudience.Organisation => t["The organisation"],
        _ => t["A person, about their personal account"],
    };

    public static string Channel(DeliveryChannel channel, IStringLocalizer<Text.AnalystText> t) => channel switch
    {
        DeliveryChannel.Email => t["Email"],
        _ => t["Webhook"],
    };

    public static string Delivery(DeliveryStatus status, IStringLocalizer<Text.AnalystText> t) => status switch
    {
        DeliveryStatus.Pending => t["Waiting to be sent"],
        DeliveryStatus.Sent => t["Sent"],
        DeliveryStatus.DeadLetter => t["Failed: gave up"],
        _ => t["Not sent: duplicate or rate limit"],
    };

    public static string Link(RelatedIncidents.Link link, IStringLocalizer<Text.AnalystText> t) => link switch
    {
        RelatedIncidents.Link.AttackerAddress => t["Same attacker address"],
        RelatedIncidents.Link.WebShellPage => t["Same web-shell page"],
        RelatedIncidents.Link.FileHash => t["Same file hash"],
        _ => t["Same subject"],
    };

    /// <summary>An instant in UTC, written the reader's way; a dash when unknown.</summary>
    public static string When(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("d MMM yyyy, HH:mm", CultureInfo.CurrentCulture) + " UTC" : "—";
}
