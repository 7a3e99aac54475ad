using System.Security.Cryptography;
using Bulwark.Data;
using Bulwark.Data.Membership;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Bulwark.Server.Membership.Personal;
using Bulwark.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Membership.People;

/// <summary>
/// An org admin invites a staff member at a work address on one of the organisation's verified domains; the
/// emailed token, entered by the person, creates them and gives them a person token.
/// </summary>
public static class InvitationsApi
{
    public const int MaxDisplayName = 200;

    public static RouteGroupBuilder MapInvitationsApi(this RouteGroupBuilder api)
    {
        var invitations = api.MapGroup("/organisations/{organisationId:guid}/invitations").WithTags("Membership");
        invitations.MapPost("/", InviteAsync).RequireAuthorization(Policies.OrganisationAdmin)
            .WithSummary("Invite a staff member: the token goes by email to their work address, never in the answer.");
        invitations.MapGet("/", ListAsync).RequireAuthorization(Policies.OrganisationRead);
        invitations.MapDelete("/{invitationId:guid}", RevokeAsync).RequireAuthorization(Policies.OrganisationAdmin)
            .WithSummary("Withdraw an invitation that was not accepted.");

        api.MapPost("/invitations/accept", AcceptAsync).WithTags("Membership").AllowAnonymous().RequireRateLimiting(RateLimits.Public)
            .WithSummary("The invited person enters the emailed token and their name; the answer holds their person token.");
        return api;
    }

    public sealed record InvitationRequest(string? Email, PersonRole? Role, string? Language);

    public sealed record InvitationView(Guid Id, string Email, PersonRole Role, string State, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? AcceptedAt, Guid? PersonId);

    public sealed record CreatedInvitation(InvitationView Invitation, string Language);

    public sealed record AcceptRequest(string? Token, string? DisplayName);

    public sealed record PersonSelf(Guid Id, Guid OrganisationId, string DisplayName, string WorkEmail, PersonRole Role, string Language, DateTimeOffset CreatedAt);

    public sealed record Accepted(PersonSelf Person, string Token, DateTimeOffset TokenExpiresAt);

    private static async Task<Results<Created<CreatedInvitation>, ValidationProblem, NotFound, ProblemHttpResult>> InviteAsync(
        Guid organisationId, InvitationRequest request, BulwarkDbContext db, Caller caller, MembershipMail mail, AuditLog audit,
        TimeProvider time, IOptions<MembershipOptions> options, CancellationToken ct)
    {
        if (!MemberAccess.MayAdminister(caller, organisationId))
        {
            return TypedResults.NotFound();
        }

        var errors = new Dictionary<string, string[]>();
        if (!EmailAddress.TryNormalise(request.Email, out var email, out var emailError))
        {
            errors["email"] = [emailError];
        }

        var role = request.Role ?? PersonRole.Staff;
        if (!Enum.IsDefined(role))
        {
            errors["role"] = ["Staff or OrgAdmin"];
        }

        if (!LanguageTag.TryNormalise(request.Language, out var language, out var languageError))
        {
            errors["language"] = [languageError];
        }

        var org = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == organisationId, ct);
        if (org is null)
        {
            return TypedResults.NotFound();
        }

        if (errors.Count == 0)
        {
            // A work address is organisation data: it must sit on a domain the organisation proved it holds.
            var verified = await db.Domains.AsNoTracking()
                .Where(d => d.OrganisationId == organisationId && d.VerifiedAt != null).Select(d => d.Name).OrderBy(n => n).ToListAsync(ct);
            var domain = EmailAddress.Domain(email);
            if (!verified.Any(v => domain == v || domain.EndsWith("." + v, StringComparison.Ordinal)))
            {
                errors["email"] = [verified.Count == 0
                    ? $"{domain} is not a verified domain of this organisation, which has none yet: claim and verify it first (POST /api/v1/organisations/{organisationId}/domains)"
                    : $"{domain} is not a verified domain of this organisation (verified: {string.Join(", ", verified)})"];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (org.Status != OrganisationStatus.Admitted)
        {
            return MemberAccess.NotAdmitted(org.Status);
        }

        var now = time.GetUtcNow();
        if (await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.OrganisationId == organisationId && p.WorkEmail == email && p.ErasedAt == null, ct) is { } member)
        {
            return Problem(StatusCodes.Status409Conflict, "Already a member", $"{email} already belongs to person {member.Id} of this organisation");
        }

        if (await db.Invitations.AsNoTracking().FirstOrDefaultAsync(i => i.OrganisationId == organisationId && i.Email == email && i.AcceptedAt == null && i.ExpiresAt > now, ct) is { } pending)
        {
            return Problem(StatusCodes.Status409Conflict, "Already invited", $"invitation {pending.Id} to {email} is pending until {pending.ExpiresAt:u}; withdraw it (DELETE) to send a new one");
        }

        var token = InvitationTokens.Create(language);
        var invitation = new Invitation
        {
            Id = Guid.CreateVersion7(now),
            OrganisationId = organisationId,
            Email = email,
            Role = role,
            TokenHash = InvitationTokens.Hash(token),
            CreatedAt = now,
            ExpiresAt = now + options.Value.InvitationLifetime,
        };
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync(ct);

        if (!await mail.SendInvitationAsync(email, org.Name, token, language, invitation.ExpiresAt, invitation.Id, ct))
        {
            // An invitation nobody received is no invitation: take it back so the admin can simply try again.
            db.Invitations.Remove(invitation);
            await db.SaveChangesAsync(CancellationToken.None);
            return Problem(StatusCodes.Status503ServiceUnavailable, "The invitation email could not be sent", "no invitation was created; try again later, or ask the operator to check the instance's email settings");
        }

        await audit.RecordAsync("invitation.create", $"invitation/{invitation.Id}", organisationId, ct);
        return TypedResults.Created($"/api/v1/organisations/{organisationId}/invitations/{invitation.Id}", new CreatedInvitation(View(invitation, now), language));
    }

    private static async Task<Results<Ok<List<InvitationView>>, NotFound>> ListAsync(Guid organisationId, BulwarkDbContext db, Caller caller, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        if (!MemberAccess.MayRead(caller, organisationId) || !await MemberAccess.ExistsAsync(db, organisationId, ct))
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow();
        var invitations = await db.Invitations.AsNoTracking().Where(i => i.OrganisationId == organisationId).OrderBy(i => i.CreatedAt).ToListAsync(ct);
        await audit.RecordStaffReadAsync("invitation.list", $"organisation/{organisationId}/invitations", organisationId, ct);
        return TypedResults.Ok(invitations.Select(i => View(i, now)).ToList());
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> RevokeAsync(Guid organisationId, Guid invitationId, BulwarkDbContext db, Caller caller, AuditLog audit, CancellationToken ct)
    {
        if (!MemberAccess.MayAdminister(caller, organisationId))
        {
            return TypedResults.NotFound();
        }

        var invitation = await db.Invitations.FirstOrDefaultAsync(i => i.Id == invitationId && i.OrganisationId == organisationId, ct);
        if (invitation is null)
        {
            return TypedResults.NotFound();
        }

        if (invitation.AcceptedAt is not null)
        {
            return Problem(StatusCodes.Status409Conflict, "Already accepted", $"invitation {invitationId} was accepted by person {invitation.PersonId}; it stays as the record of how they joined");
        }

        db.Invitations.Remove(invitation);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("invitation.revoke", $"invitation/{invitationId}", organisationId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<Accepted>, ValidationProblem, NotFound, ProblemHttpResult>> AcceptAsync(
        AcceptRequest request, TenantDatabase databases, PersonTokens tokens, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var displayName = request.DisplayName?.Trim() ?? "";
        if (displayName.Length is 0 or > MaxDisplayName || displayName.Any(char.IsControl))
        {
            errors["displayName"] = [$"a name of 1 to {MaxDisplayName} characters, without control characters, is required"];
        }

        if (!InvitationTokens.TryRead(request.Token?.Trim(), out var language))
        {
            errors["token"] = ["not an invitation token: copy the whole code from the email, starting with bwi_"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var token = request.Token!.Trim();
        var hash = InvitationTokens.Hash(token);

        // The caller is anonymous: find the invitation across members by its hash alone, then work in its organisation.
        Guid organisationId;
        await using (var instance = databases.OpenInstanceWide())
        {
            var found = await instance.Invitations.AsNoTracking().Where(i => i.TokenHash == hash).Select(i => new { i.OrganisationId, i.TokenHash }).FirstOrDefaultAsync(ct);

            // The index lookup compares hashes of a 256-bit secret, which tells a guesser nothing; compare again in constant time all the same.
            if (found is null || !CryptographicOperations.FixedTimeEquals(found.TokenHash, hash))
            {
                return Problem(StatusCodes.Status404NotFound, "Unknown invitation", "no invitation has this token: check that you copied the whole code from the email");
            }

            organisationId = found.OrganisationId;
        }

        await using var db = databases.Open(organisationId);
        var invitation = await db.Invitations.AsNoTracking().FirstAsync(i => i.TokenHash == hash, ct);
        var now = time.GetUtcNow();
        if (invitation.AcceptedAt is not null)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invitation already used", $"this invitation was accepted on {invitation.AcceptedAt:u}; each invitation works once");
        }

        if (invitation.ExpiresAt <= now)
        {
            return Problem(StatusCodes.Status400BadRequest, "Invitation expired", $"this invitation expired on {invitation.ExpiresAt:u}; ask your organisation's admin for a new one");
        }

        var status = await db.Organisations.AsNoTracking().Where(o => o.Id == organisationId).Select(o => o.Status).FirstAsync(ct);
        if (status != OrganisationStatus.Admitted)
        {
            return Problem(StatusCodes.Status400BadRequest, "Organisation not active", $"the organisation that invited you is {status}");
        }

        if (await db.People.AnyAsync(p => p.WorkEmail == invitation.Email && p.ErasedAt == null, ct))
        {
            return Problem(StatusCodes.Status409Conflict, "Already a member", "a person with this work address already belongs to the organisation");
        }

        var person = new Person
        {
            Id = Guid.CreateVersion7(now),
            OrganisationId = organisationId,
            DisplayName = displayName,
            WorkEmail = invitation.Email,
            Role = invitation.Role,
            Language = language,
            CreatedAt = now,
        };

        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            // Claim the invitation in one conditional update: of two simultaneous acceptances, one wins.
            var claimed = await db.Invitations
                .Where(i => i.Id == invitation.Id && i.AcceptedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now).SetProperty(i => i.PersonId, person.Id), ct);
            if (claimed == 0)
            {
                return Problem(StatusCodes.Status400BadRequest, "Invitation already used", "this invitation was accepted a moment ago; each invitation works once");
            }

            db.People.Add(person);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        await audit.AppendAsync(person.Id, "Person", "invitation.accept", $"invitation/{invitation.Id}", organisationId, ct);
        var (personToken, expires) = tokens.Issue(person.Id, organisationId);
        return TypedResults.Created("/api/v1/me", new Accepted(Self(person), personToken, expires));
    }

    internal static PersonSelf Self(Person p) => new(p.Id, p.OrganisationId, p.DisplayName, p.WorkEmail, p.Role, p.Language, p.CreatedAt);

    private static InvitationView View(Invitation i, DateTimeOffset now) => new(
        i.Id, i.Email, i.Role, i.AcceptedAt is not null ? "accepted" : i.ExpiresAt <= now ? "expired" : "pending",
        i.CreatedAt, i.ExpiresAt, i.AcceptedAt, i.PersonId);

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(detail, statusCode: status, title: title);
}
