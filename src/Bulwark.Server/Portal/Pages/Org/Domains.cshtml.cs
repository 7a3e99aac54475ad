using Bulwark.Data;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Bulwark.Server.Membership;
using Bulwark.Server.Membership.Domains;
using Bulwark.Server.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Portal.Pages.Org;

/// <summary>The organisation's mail domains: claim one, publish its TXT record, verify it now, remove it.</summary>
public sealed class DomainsModel(
    BulwarkDbContext db,
    TenantDatabase databases,
    Caller caller,
    DomainVerifier verifier,
    AuditLog audit,
    TimeProvider time,
    IOptions<MembershipOptions> options,
    IStringLocalizer<Text.OrgText> t) : PageModel
{
    public sealed record DomainRow(Guid Id, string Name, string Record, DateTimeOffset CreatedAt, DateTimeOffset? VerifiedAt);

    [BindProperty]
    public string? Name { get; set; }

    public IReadOnlyList<DomainRow> Domains { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostClaimAsync(CancellationToken ct)
    {
        var org = OrgData.OrganisationOf(caller);
        var outcome = await DomainsApi.ClaimDomainAsync(org, Name, db, databases, audit, time, options.Value, ct);
        LocalizedString? error = outcome.Refusal switch
        {
            DomainsApi.ClaimRefusal.Invalid => t["Enter a domain name such as example.org (without http:// or @)."],
            DomainsApi.ClaimRefusal.NotAdmitted or DomainsApi.ClaimRefusal.NotFound => t["Only admitted members can claim domains."],
            DomainsApi.ClaimRefusal.TooMany => t["Your organisation has {0} domains, the most it may claim. Remove unused ones first.", DomainsApi.MaxDomainsPerOrganisation],
            DomainsApi.ClaimRefusal.AlreadyOurs => t["Your organisation has already claimed {0}.", outcome.Name!],
            DomainsApi.ClaimRefusal.TakenElsewhere => t["{0} is already claimed on this instance. If it is yours, ask the operator.", outcome.Name!],
            _ => null,
        };
        if (error is not null)
        {
            ModelState.AddModelError(nameof(Name), error);
            await LoadAsync(ct);
            return Page();
        }

        TempData["Status"] = t["{0} is claimed. Publish its TXT record, then choose Verify now.", outcome.Name!].Value;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostVerifyAsync(Guid id, CancellationToken ct)
    {
        var org = OrgData.OrganisationOf(caller);
        var (domain, check) = await DomainsApi.VerifyDomainAsync(org, id, db, verifier, audit, time, ct);
        if (domain is null)
        {
            return NotFound();
        }

        if (check is null || check.Verdict == DnsVerdict.Verified)
        {
            TempData["Status"] = t["{0} is verified.", domain.Name].Value;
            return RedirectToPage();
        }

        var expected = DomainVerifier.ExpectedRecord(domain.VerificationToken);
        ModelState.AddModelError(string.Empty, check.Verdict switch
        {
            DnsVerdict.Timeout => t["No DNS server answered for {0} in time. Try again in a few minutes.", domain.Name],
            DnsVerdict.ResolverError => t["The DNS lookup for {0} failed ({1}). Try again in a few minutes.", domain.Name, check.ResponseCode ?? ""],
            DnsVerdict.NoSuchDomain => t["{0} does not exist in DNS. Publish a TXT record at {0} with the value {1}, then verify again.", domain.Name, expected],
            DnsVerdict.NoRecord => t["{0} has no TXT record yet. Publish one with the value {1}, then verify again. New records can take a while to appear.", domain.Name, expected],
            _ => t["{0} has TXT records, but none is {1}. Found: {2}", domain.Name, expected, string.Join(" | ", check.Found)],
        });
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, CancellationToken ct)
    {
        var org = OrgData.OrganisationOf(caller);
        var name = await db.Domains.Where(d => d.Id == id && d.OrganisationId == org).Select(d => d.Name).FirstOrDefaultAsync(ct);
        if (name is null || !await DomainsApi.RemoveDomainAsync(org, id, db, audit, ct))
        {
            return NotFound();
        }

        TempData["Status"] = t["{0} is removed.", name].Value;
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var org = OrgData.OrganisationOf(caller);
        var domains = await db.Domains.AsNoTracking().Where(d => d.OrganisationId == org).OrderBy(d => d.Name).ToListAsync(ct);
        Domains = [.. domains.Select(d => new DomainRow(d.Id, d.Name, DomainVerifier.ExpectedRecord(d.VerificationToken), d.CreatedAt, d.VerifiedAt))];
    }
}
