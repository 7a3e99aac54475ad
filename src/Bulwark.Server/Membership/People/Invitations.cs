using Bulwark.Data;
using Bulwark.Data.Membership;
using Bulwark.Server.Audit;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Membership.People;

/// <summary>Why an invitation was not sent (<see cref="None"/>: sent).</summary>
public enum InviteRefusal
{
    None,

    /// <summary>The address already belongs to a person of the organisation.</summary>
    AlreadyMember,

    /// <summary>An invitation to the address is pending.</summary>
    AlreadyInvited,

    /// <summary>No email could be sent; nothing was kept.</summary>
    NotSent,
}

/// <summary>An invitation's outcome: the invitation, or the refusal with the person or invitation in the way.</summary>
public sealed record InviteOutcome(InviteRefusal Refusal, Invitation? Invitation = null, Guid? ExistingId = null, DateTimeOffset? PendingUntil = null);

/// <summary>
/// Creating, sending and withdrawing invitations, for the API and the portal alike. The caller has checked the
/// address (on a verified domain), the role, the language and that the organisation is an admitted member.
/// </summary>
public static class Invitations
{
    /// <summary>The organisation's verified domains, and whether <paramref name="email"/> sits on one of them (or a subdomain).</summary>
    public static async Task<(bool OnVerifiedDomain, List<string> Verified)> CheckDomainAsync(BulwarkDbContext db, Guid organisationId, string email, CancellationToken ct)
    {
        var verified = await db.Domains.AsNoTracking()
            .Where(d => d.OrganisationId == organisationId && d.VerifiedAt != null).Select(d => d.Name).OrderBy(n => n).ToListAsync(ct);
        var domain = EmailAddress.Domain(email);
        return (verified.Any(v => domain == v || domain.EndsWith("." + v, StringComparison.Ordinal)), verified);
    }

    /// <summary>Creates the invitation and emails its token; an invitation nobody received is taken back.</summary>
    public static async Task<InviteOutcome> SendAsync(
        BulwarkDbContext db, MembershipMail mail, AuditLog audit, Organisation org, string email, PersonRole role, string language,
        DateTimeOffset now, TimeSpan lifetime, CancellationToken ct)
    {
        if (await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.OrganisationId == org.Id && p.WorkEmail == email && p.ErasedAt == null, ct) is { } member)
        {
            return new InviteOutcome(InviteRefusal.AlreadyMember, ExistingId: member.Id);
        }

        if (await db.Invitations.AsNoTracking().FirstOrDefaultAsync(i => i.OrganisationId == org.Id && i.Email == email && i.AcceptedAt == null && i.ExpiresAt > now, ct) is { } pending)
        {
            return new InviteOutcome(InviteRefusal.AlreadyInvited, ExistingId: pending.Id, PendingUntil: pending.ExpiresAt);
        }

        var token = InvitationTokens.Create(language);
        var invitation = new Invitation
        {
            Id = Guid.CreateVersion7(now),
            OrganisationId = org.Id,
            Email = email,
            Role = role,
            TokenHash = InvitationTokens.Hash(token),
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync(ct);

        if (!await mail.SendInvitationAsync(email, org.Name, token, language, invitation.ExpiresAt, invitation.Id, ct))
        {
            // An invitation nobody received is no invitation: take it back so the admin can simply try again.
            db.Invitations.Remove(invitation);
            await db.SaveChangesAsync(CancellationToken.None);
            return new InviteOutcome(InviteRefusal.NotSent);
        }

        await audit.RecordAsync("invitation.create", $"invitation/{invitation.Id}", org.Id, ct);
        return new InviteOutcome(InviteRefusal.None, invitation);
    }

    /// <summary>Withdraws an invitation that was not accepted: null when there is none, else the invitation (accepted ones stay).</summary>
    public static async Task<Invitation?> WithdrawAsync(BulwarkDbContext db, AuditLog audit, Guid organisationId, Guid invitationId, CancellationToken ct)
    {
        var invitation = await db.Invitations.FirstOrDefaultAsync(i => i.Id == invitationId && i.OrganisationId == organisationId, ct);
        if (invitation is null || invitation.AcceptedAt is not null)
        {
            return invitation;
        }

        db.Invitations.Remove(invitation);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("invitation.revoke", $"invitation/{invitationId}", organisationId, ct);
        return invitation;
    }

    /// <summary>"accepted", "expired" or "pending".</summary>
    public static string State(Invitation i, DateTimeOffset now) => i.AcceptedAt is not null ? "accepted" : i.ExpiresAt <= now ? "expired" : "pending";
}
