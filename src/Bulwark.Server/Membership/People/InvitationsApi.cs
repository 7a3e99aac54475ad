using Bulwark.Data;
using Bulwark.Data.Membership;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Bulwark.Server.Membership.Personal;
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
    public const int MaxDisplayName = InvitationAcceptance.MaxDisplayName;

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
            var (onVerified, verified) = await Invitations.CheckDomainAsync(db, organisationId, email, ct);
            var domain = EmailAddress.Domain(email);
            if (!onVerified)
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
        var outcome = await Invitations.SendAsync(db, mail, audit, org, email, role, language, now, options.Value.InvitationLifetime, ct);
        switch (outcome.Refusal)
        {
            case InviteRefusal.AlreadyMember:
                return Problem(StatusCodes.Status409Conflict, "Already a member", $"{email} already belongs to person {outcome.ExistingId} of this organisation");
            case InviteRefusal.AlreadyInvited:
                return Problem(StatusCodes.Status409Conflict, "Already invited", $"invitation {outcome.ExistingId} to {email} is pending until {outcome.PendingUntil:u}; withdraw it (DELETE) to send a new one");
            case InviteRefusal.NotSent:
                return Problem(StatusCodes.Status503ServiceUnavailable, "The invitation email could not be sent", "no invitation was created; try again later, or ask the operator to check the instance's email settings");
        }

        var invitation = outcome.Invitation!;
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

        var invitation = await Invitations.WithdrawAsync(db, audit, organisationId, invitationId, ct);
        if (invitation is null)
        {
            return TypedResults.NotFound();
        }

        if (invitation.AcceptedAt is not null)
        {
            return Problem(StatusCodes.Status409Conflict, "Already accepted", $"invitation {invitationId} was accepted by person {invitation.PersonId}; it stays as the record of how they joined");
        }

        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<Accepted>, ValidationProblem, NotFound, ProblemHttpResult>> AcceptAsync(
        AcceptRequest request, InvitationAcceptance acceptance, PersonTokens tokens, CancellationToken ct)
    {
        var outcome = await acceptance.AcceptAsync(request.Token, request.DisplayName, ct);
        if (outcome.Person is { } person)
        {
            var (personToken, expires) = tokens.Issue(person.Id, person.OrganisationId);
            return TypedResults.Created("/api/v1/me", new Accepted(Self(person), personToken, expires));
        }

        return outcome.Refusal switch
        {
            AcceptanceRefusal.Invalid => TypedResults.ValidationProblem(outcome.Errors ?? []),
            AcceptanceRefusal.Unknown => Problem(StatusCodes.Status404NotFound, "Unknown invitation", "no invitation has this token: check that you copied the whole code from the email"),
            AcceptanceRefusal.AlreadyUsed => Problem(StatusCodes.Status400BadRequest, "Invitation already used", $"this invitation was accepted on {outcome.At:u}; each invitation works once"),
            AcceptanceRefusal.Expired => Problem(StatusCodes.Status400BadRequest, "Invitation expired", $"this invitation expired on {outcome.At:u}; ask your organisation's admin for a new one"),
            AcceptanceRefusal.OrganisationNotActive => Problem(StatusCodes.Status400BadRequest, "Organisation not active", $"the organisation that invited you is {outcome.Status}"),
            AcceptanceRefusal.AlreadyMember => Problem(StatusCodes.Status409Conflict, "Already a member", "a person with this work address already belongs to the organisation"),
            _ => Problem(StatusCodes.Status400BadRequest, "Invitation already used", "this invitation was accepted a moment ago; each invitation works once"),
        };
    }

    internal static PersonSelf Self(Person p) => new(p.Id, p.OrganisationId, p.DisplayName, p.WorkEmail, p.Role, p.Language, p.CreatedAt);

    private static InvitationView View(Invitation i, DateTimeOffset now) => new(
        i.Id, i.Email, i.Role, i.AcceptedAt is not null ? "accepted" : i.ExpiresAt <= now ? "expired" : "pending",
        i.CreatedAt, i.ExpiresAt, i.AcceptedAt, i.PersonId);

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(detail, statusCode: status, title: title);
}
