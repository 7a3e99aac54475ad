using System.Globalization;
using Bulwark.Data.Membership;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Operator;

/// <summary>How the operator's pages name sectors, statuses and instants, in the reader's language.</summary>
public static class OperatorNames
{
    public static string Sector(Sector sector, IStringLocalizer<Text.OperatorText> t) => sector switch
    {
        Data.Membership.Sector.PoliticalParty => t["Political party"],
        Data.Membership.Sector.Campaign => t["Campaign"],
        Data.Membership.Sector.ElectionBody => t["Election body"],
        Data.Membership.Sector.HealthCare => t["Health care"],
        Data.Membership.Sector.HumanRights => t["Human rights"],
        Data.Membership.Sector.Journalism => t["Journalism"],
        Data.Membership.Sector.ThinkTank => t["Think tank"],
        Data.Membership.Sector.Ngo => t["NGO"],
        _ => sector.ToString(),
    };

    public static string Status(OrganisationStatus status, IStringLocalizer<Text.OperatorText> t) => status switch
    {
        OrganisationStatus.Applied => t["Applied"],
        OrganisationStatus.Admitted => t["Admitted"],
        OrganisationStatus.Rejected => t["Rejected"],
        OrganisationStatus.Suspended => t["Suspended"],
        _ => status.ToString(),
    };

    /// <summary>
    /// The code with the country's English name (or the code alone when .NET does not know it). .NET gives localized
    /// region names only in the process's own UI language, not the request's: English is the one name every reader gets.
    /// </summary>
    public static string Country(string code)
    {
        var region = Region(code);
        return region is null ? code : $"{code} ({region.EnglishName})";
    }

    /// <summary>A region .NET knows for this two-letter code, or null.</summary>
    public static RegionInfo? Region(string code)
    {
        if (code.Length != 2 || !code.All(char.IsAsciiLetter))
        {
            return null;
        }

        try
        {
            var region = new RegionInfo(code);
            return string.Equals(region.TwoLetterISORegionName, code, StringComparison.OrdinalIgnoreCase) ? region : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("d", CultureInfo.CurrentCulture);

    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("g", CultureInfo.CurrentCulture) + " UTC";
}
