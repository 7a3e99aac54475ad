using System.Security.Cryptography;
using Bulwark.Data.Membership;
using Bulwark.Server.Audit;
using Bulwark.Server.Storage;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Membership.People;

/// <summary>Why an invitation could not be accepted; the API and the portal each word it for their readers.</summary>
public enum AcceptanceRefusal
{
    /// <summary>The name or the token is malformed (see <see cref="AcceptanceOutcome.Errors"/>).</summary>
    Invalid,
    Unknown,
    AlreadyUsed,
    Expired,
    OrganisationNotActive,
    AlreadyMember,
    UsedMeanwhile,
}

/// <summary>An invitation that can be accepted now: where it leads and in which language.</summary>
public sealed record OpenInvitation(Guid Id, Guid OrganisationId, string Email, PersonRole Role, string Language);

/// <summary>The person an accepted invitation created, or why it was refused (with the date or state that explains it).</summary>
public sealed record AcceptanceOutcome(
    Person? Person,
    OpenInvitation? Invitation,
    AcceptanceRefusal? Refusal = null,
    Dictionary<string, string[]>? Errors = null,
    DateTimeOffset? At = null,
    OrganisationStatus? Status = null);

/// <summary>
/// Accepting an invitation, for the API (<c>POST /api/v1/invitations/accept</c>) and the portal's
/// <c>/account/accept</c>: the invited person enters the emailed token and their name; the invitation is claimed
/// once and the person created in the organisation that invited them.
/// </summary>
public sealed class InvitationAcceptance(TenantDatabase databases, AuditLog audit, TimeProvider time)
{
    public const int MaxDisplayName = 200;

    /// <summary>Checks the name and the token's shape; the errors are keyed by field ("displayName", "token").</summary>
    public static Dictionary<string, string[]> Check(string? token, string? displayName)
    {
        var errors = new Dictionary<string, string[]>();
        var name = displayName?.Trim() ?? "";
        if (name.Length is 0 or > MaxDisplayName || name.Any(char.IsControl))
        {
            errors["displayName"] = [$"a name of 1 to {MaxDisplayName} characters, without control characters, is required"];
        }

        if (!InvitationTokens.TryRead(token?.Trim(), out _))
        {
            errors["token"] = ["not an invitation token: copy the whole code from the email, starting with bwi_"];
        }

        return errors;
    }

    /// <summary>The invitation a well-formed token opens, if it can be accepted now; nothing is changed.</summary>
    public async Task<AcceptanceOutcome> FindAsync(string token, CancellationToken ct)
    {
        token = token.Trim();
        if (!InvitationTokens.TryRead(token, out var language))
        {
            return new(null, null, AcceptanceRefusal.Invalid, new() { ["token"] = ["not an invitation token: copy the whole code from the email, starting with bwi_"] });
        }

        var hash = InvitationTokens.Hash(token);

        // The caller is anonymous: find the invitation across members by its hash alone, then work in its organisation.
        Guid organisationId;
        await using (var instance = databases.OpenInstanceWide())
        {
            var found = await instance.Invitations.AsNoTracking().Where(i => i.TokenHash == hash).Select(i => new { i.OrganisationId, i.TokenHash }).FirstOrDefaultAsync(ct);

            // The index lookup compares hashes of a 256-bit secret, which tells a guesser nothing; compare again in constant time all the same.
            if (found is null || !CryptographicOperations.FixedTimeEquals(found.TokenHash, hash))
            {
                return new(null, null, AcceptanceRefusal.Unknown);
            }

            organisationId = found.OrganisationId;
        }

        await using var db = databases.Open(organisationId);
        var invitation = await db.Invitations.AsNoTracking().FirstAsync(i => i.TokenHash == hash, ct);
        var now = time.GetUtcNow();
        if (invitation.AcceptedAt is not null)
        {
            return new(null, null, AcceptanceRefusal.AlreadyUsed, At: invitation.AcceptedAt);
        }

        if (invitation.ExpiresAt <= now)
        {
            return new(null, null, AcceptanceRefusal.Expired, At: invitation.ExpiresAt);
        }

        var status = await db.Organisations.AsNoTracking().Where(o => o.Id == organisationId).Select(o => o.Status).FirstAsync(ct);
        if (status != OrganisationStatus.Admitted)
        {
            return new(null, null, AcceptanceRefusal.OrganisationNotActive, Status: status);
        }

        if (await db.People.AnyAsync(p => p.WorkEmail == invitation.Email && p.ErasedAt == null, ct))
        {
            return new(null, null, AcceptanceRefusal.AlreadyMember);
        }

        return new(null, new OpenInvitation(invitation.Id, organisationId, invitation.Email, invitation.Role, language));
    }

    /// <summary>Claims the invitation (of two simultaneous acceptances, one wins) and creates the person.</summary>
    public async Task<AcceptanceOutcome> AcceptAsync(string? token, string? displayName, CancellationToken ct)
    {
        var errors = Check(token, displayName);
        if (errors.Count > 0)
        {
            return new(null, null, AcceptanceRefusal.Invalid, errors);
        }

        var found = await FindAsync(token!, ct);
        if (found.Invitation is not { } invitation)
        {
            return found;
        }

        var now = time.GetUtcNow();
        var person = new Person
        {
            Id = Guid.CreateVersion7(now),
            OrganisationId = invitation.OrganisationId,
            DisplayName = displayName!.Trim(),
            WorkEmail = invitation.Email,
            Role = invitation.Role,
            Language = invitation.Language,
            CreatedAt = now,
        };

        await using (var db = databases.Open(invitation.OrganisationId))
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            // Claim the invitation in one conditional update: of two simultaneous acceptances, one wins.
            var claimed = await db.Invitations
                .Where(i => i.Id == invitation.Id && i.AcceptedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now).SetProperty(i => i.PersonId, person.Id), ct);
            if (claimed == 0)
            {
                return new(null, invitation, AcceptanceRefusal.UsedMeanwhile);
            }

            db.People.Add(person);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        await audit.AppendAsync(person.Id, "Person", "invitation.accept", $"invitation/{invitation.Id}", invitation.OrganisationId, ct);
        return new(person, invitation);
    }
}
