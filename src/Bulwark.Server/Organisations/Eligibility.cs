using Bulwark.Data;
using Bulwark.Data.Membership;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Organisations;

/// <summary>The operator's eligibility settings, seeded on first use.</summary>
public sealed class Eligibility(BulwarkDbContext db)
{
    /// <summary>
    /// The countries named in public AccountGuard announcements (2018–2021 and its current landing page; the
    /// full 31/35-country list was never published in one place): a seed the operator edits.
    /// </summary>
    public static readonly string[] SeedCountries =
    [
        "US", "CA", "IE", "GB", "FR", "DE", "SE", "DK", "NL", "FI", "EE", "LV", "LT", "PT", "SK", "ES", "IN", "AU", "NZ",
        "AR", "BE", "HR", "CY", "CZ", "GR",
    ];

    public async Task<EligibilitySettings> GetAsync(CancellationToken ct)
    {
        var settings = await db.Eligibility.OrderBy(e => e.Id).FirstOrDefaultAsync(ct);
        if (settings is not null)
        {
            return settings;
        }

        settings = new EligibilitySettings { Sectors = [.. Enum.GetValues<Sector>()], Countries = [.. SeedCountries] };
        db.Eligibility.Add(settings);
        await db.SaveChangesAsync(ct);
        return settings;
    }

    public async Task<EligibilitySettings> SetAsync(IEnumerable<Sector> sectors, IEnumerable<string> countries, CancellationToken ct)
    {
        var settings = await GetAsync(ct);
        settings.Sectors = [.. sectors.Distinct()];
        settings.Countries = [.. countries.Select(c => c.ToUpperInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        await db.SaveChangesAsync(ct);
        return settings;
    }
}
