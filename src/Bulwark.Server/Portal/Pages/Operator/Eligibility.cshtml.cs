using Bulwark.Data.Membership;
using Bulwark.Server.Audit;
using Bulwark.Server.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Bulwark.Server.Portal.Pages.Operator;

/// <summary>Which sectors and countries may apply (as <c>PUT /api/v1/eligibility</c>).</summary>
public sealed class EligibilityModel(Eligibility eligibility, AuditLog audit, IStringLocalizer<Text.OperatorText> t) : PageModel
{
    public const int MaxCountriesText = 2000;

    private static readonly char[] Separators = [' ', ',', ';', '\n', '\r', '\t'];

    [BindProperty]
    public List<string> Sectors { get; set; } = [];

    [BindProperty]
    public string? Countries { get; set; }

    public IReadOnlyList<Sector> CurrentSectors { get; private set; } = [];

    public IReadOnlyList<string> CurrentCountries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Sectors = [.. CurrentSectors.Select(s => s.ToString())];
        Countries = string.Join(' ', CurrentCountries);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var sectors = new List<Sector>();
        var unknownSectors = new List<string>();
        foreach (var value in Sectors)
        {
            // Names only: Enum.TryParse would also take "3" or "1,2".
            if (Enum.GetNames<Sector>().Contains(value, StringComparer.Ordinal))
            {
                sectors.Add(Enum.Parse<Sector>(value));
            }
            else
            {
                unknownSectors.Add(value.Length > 40 ? value[..40] + "…" : value);
            }
        }

        if (unknownSectors.Count > 0)
        {
            ModelState.AddModelError(nameof(Sectors), t["Unknown sectors: {0}.", string.Join(", ", unknownSectors)]);
        }

        var text = Countries ?? "";
        var codes = new List<string>();
        if (text.Length > MaxCountriesText)
        {
            ModelState.AddModelError(nameof(Countries), t["The country list is too long ({0} characters at most).", MaxCountriesText]);
        }
        else
        {
            codes = [.. text.Split(Separators, StringSplitOptions.RemoveEmptyEntries).Select(c => c.ToUpperInvariant())];
            var malformed = codes.Where(c => c.Length != 2 || !c.All(char.IsAsciiLetter)).Distinct().ToList();
            var unknown = codes.Except(malformed).Where(c => OperatorNames.Region(c) is null).Distinct().ToList();
            if (malformed.Count > 0)
            {
                ModelState.AddModelError(nameof(Countries), t["Not ISO 3166-1 alpha-2 codes (two letters, such as FR or DE): {0}.", string.Join(", ", malformed.Select(m => m.Length > 20 ? m[..20] + "…" : m))]);
            }

            if (unknown.Count > 0)
            {
                ModelState.AddModelError(nameof(Countries), t["Unknown country codes: {0}.", string.Join(", ", unknown)]);
            }
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync(ct);
            return Page();
        }

        var saved = await eligibility.SetAsync(sectors, codes, ct);
        await audit.RecordAsync("eligibility.set", "eligibility", null, ct);
        TempData["Status"] = t["Eligibility saved: {0} sectors and {1} countries.", saved.Sectors.Count, saved.Countries.Count].Value;
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var settings = await eligibility.GetAsync(ct);
        CurrentSectors = [.. settings.Sectors];
        CurrentCountries = [.. settings.Countries];
    }
}
