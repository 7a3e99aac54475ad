using System.Globalization;
using Bulwark.Core.Findings;
using Bulwark.Data;
using Bulwark.Data.Incidents;
using Bulwark.Data.Ingestion;
using Bulwark.Server.Access;
using Bulwark.Server.Membership.Personal;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Org;

/// <summary>
/// What the org admin's pages share: the signed-in admin's organisation (from the claims, never from the URL),
/// what of its incidents and findings it may see, and how times and levels are shown.
/// </summary>
public static class OrgData
{
    /// <summary>The signed-in org admin's organisation; the folder's policy guarantees the claim.</summary>
    public static Guid OrganisationOf(Caller caller) =>
        caller.OrganisationId is { } id && id != Guid.Empty ? id : throw new InvalidOperationException("an org admin page without an organisation claim");

    /// <summary>
    /// The people whose personal-account findings the organisation may see (verified account, the owner's live
    /// consent: <see cref="PersonalVisibility"/>). Everything else personal stays the person's.
    /// </summary>
    public static async Task<List<Guid>> SharedPeopleAsync(PersonalVisibility visibility, Guid organisationId, CancellationToken ct) =>
        [.. await visibility.PeopleVisibleToAsync(organisationId, ct)];

    /// <summary>Findings the organisation may see: its own systems', and those of people who shared theirs.</summary>
    public static IQueryable<FindingRecord> VisibleFindings(BulwarkDbContext db, List<Guid> shared) =>
        Bulwark.Server.Incidents.IncidentVisibility.Findings(db, shared);

    /// <summary>
    /// Incidents the organisation may see, by the rule that decides whether it gets a notice (NoticeIssuer): one
    /// finding it may see is enough; an incident without findings counts by its own person.
    /// </summary>
    public static IQueryable<Incident> VisibleIncidents(BulwarkDbContext db, List<Guid> shared) =>
        Bulwark.Server.Incidents.IncidentVisibility.Incidents(db, shared);

    /// <summary>A time in UTC, with month names in the reader's language.</summary>
    public static string Time(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.CurrentCulture) : "—";

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy", CultureInfo.CurrentCulture);

    public static string Iso(DateTimeOffset? at) => at?.ToString("O", CultureInfo.InvariantCulture) ?? "";

    /// <summary>An incident's status in the reader's language (each spelt out, so every one is translated).</summary>
    public static LocalizedString StatusText(IStringLocalizer<Text.OrgText> t, IncidentStatus status) => status switch
    {
        IncidentStatus.Unconfirmed => t["Unconfirmed"],
        IncidentStatus.Confirmed => t["Confirmed"],
        IncidentStatus.Dismissed => t["Dismissed"],
        IncidentStatus.Merged => t["Merged"],
        _ => new LocalizedString(status.ToString(), status.ToString()),
    };

    /// <summary>The titles of the incidents that <paramref name="ids"/> were merged into, for those the organisation may see.</summary>
    public static async Task<Dictionary<Guid, string>> MergedIntoTitlesAsync(BulwarkDbContext db, List<Guid> shared, List<Guid> ids, CancellationToken ct) =>
        ids.Count == 0
            ? []
            : await VisibleIncidents(db, shared).Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.Title, ct);

    public static string SeverityClass(Severity severity) => "badge sev-" + severity.ToString().ToLowerInvariant();

    /// <summary>The sizes people read: bytes, KB, MB, GB (powers of 1024), in the reader's number format.</summary>
    public static string Size(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes.ToString(CultureInfo.CurrentCulture)} B" : $"{value.ToString("0.#", CultureInfo.CurrentCulture)} {units[unit]}";
    }
}
