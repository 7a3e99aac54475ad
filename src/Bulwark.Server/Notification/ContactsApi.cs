using System.Text.RegularExpressions;
using Bulwark.Data;
using Bulwark.Data.Notification;
using Bulwark.Server.Access;
using Bulwark.Server.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Bulwark.Server.Notification;

/// <summary>Who at an organisation is emailed about notices, in escalation order (0 first). Org admin of that organisation only.</summary>
public static partial class ContactsApi
{
    public const int MaxEscalationOrder = 9;

    public static RouteGroupBuilder MapContactsApi(this RouteGroupBuilder api)
    {
        var contacts = api.MapGroup("/organisations/{organisationId:guid}/contacts").WithTags("Notification contacts")
            .RequireAuthorization(Policies.OrganisationAdmin);
        contacts.MapPost("/", CreateAsync)
            .WithSummary("Add a contact. Order 0 is told at once; higher orders are told when a critical notice is not acknowledged in time.");
        contacts.MapGet("/", ListAsync);
        contacts.MapDelete("/{contactId:guid}", DeleteAsync);
        return api;
    }

    public sealed record ContactRequest(string? Email, string? Name, int? EscalationOrder, string? Language);

    public sealed record ContactView(Guid Id, string Email, string? Name, int EscalationOrder, string Language);

    private static async Task<Results<Created<ContactView>, ValidationProblem, NotFound, ProblemHttpResult>> CreateAsync(
        Guid organisationId, ContactRequest request, BulwarkDbContext db, Caller caller, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        if (caller.OrganisationId != organisationId)
        {
            return TypedResults.NotFound();
        }

        var (contact, errors) = await AddContactAsync(organisationId, request, db, audit, time, ct);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (contact is null)
        {
            return TypedResults.Problem(AlreadyAContact, statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }

        return TypedResults.Created($"/api/v1/organisations/{organisationId}/contacts/{contact.Id}", View(contact));
    }

    public const string AlreadyAContact = "this address is already a contact of the organisation";

    /// <summary>
    /// Checks and adds a contact (the API and the portal). Errors by field when the request is wrong; a null contact
    /// without errors when the address is already a contact. The caller has checked it administers the organisation.
    /// </summary>
    public static async Task<(NoticeContact? Contact, Dictionary<string, string[]> Errors)> AddContactAsync(
        Guid organisationId, ContactRequest request, BulwarkDbContext db, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var email = request.Email?.Trim() ?? "";
        if (email.Length is 0 or > 320 || !MailboxAddress.TryParse(email, out var mailbox) || !string.IsNullOrEmpty(mailbox.Name)
            || !string.Equals(mailbox.Address, email, StringComparison.Ordinal) || mailbox.Domain.Length == 0 || !mailbox.Domain.Contains('.', StringComparison.Ordinal))
        {
            errors["email"] = ["a plain email address (name@example.org) of at most 320 characters is required"];
        }

        var name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name.Trim();
        if (name is { Length: > 200 })
        {
            errors["name"] = ["name must be at most 200 characters"];
        }

        var order = request.EscalationOrder ?? 0;
        if (order is < 0 or > MaxEscalationOrder)
        {
            errors["escalationOrder"] = [$"escalationOrder must be between 0 and {MaxEscalationOrder}"];
        }

        var language = string.IsNullOrWhiteSpace(request.Language) ? EmailTexts.DefaultLanguage : request.Language.Trim();
        if (language.Length > 35 || !LanguageTag().IsMatch(language))
        {
            errors["language"] = ["language must be a BCP 47 tag such as en, fr or es-419"];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var normalised = DeliveryKeys.NormaliseAddress(email);
        if (await db.NoticeContacts.AnyAsync(c => c.OrganisationId == organisationId && c.Email == normalised, ct))
        {
            return (null, errors);
        }

        var contact = new NoticeContact
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            OrganisationId = organisationId,
            Email = normalised,
            Name = name,
            EscalationOrder = order,
            Language = language,
        };
        db.NoticeContacts.Add(contact);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync("contact.create", $"contact/{contact.Id}", organisationId, ct);
        return (contact, errors);
    }

    /// <summary>Moves a contact one escalation step earlier (-1) or later (+1), within 0 to <see cref="MaxEscalationOrder"/>; false when there is no such contact.</summary>
    public static async Task<bool> MoveContactAsync(Guid organisationId, Guid contactId, int step, BulwarkDbContext db, AuditLog audit, CancellationToken ct)
    {
        var contact = await db.NoticeContacts.FirstOrDefaultAsync(c => c.OrganisationId == organisationId && c.Id == contactId, ct);
        if (contact is null)
        {
            return false;
        }

        var order = Math.Clamp(contact.EscalationOrder + Math.Sign(step), 0, MaxEscalationOrder);
        if (order != contact.EscalationOrder)
        {
            contact.EscalationOrder = order;
            await db.SaveChangesAsync(ct);
            await audit.RecordAsync("contact.reorder", $"contact/{contact.Id}", organisationId, ct);
        }

        return true;
    }

    /// <summary>Removes a contact; false when the organisation has no such contact.</summary>
    public static async Task<bool> RemoveContactAsync(Guid organisationId, Guid contactId, BulwarkDbContext db, AuditLog audit, CancellationToken ct)
    {
        var deleted = await db.NoticeContacts.Where(c => c.OrganisationId == organisationId && c.Id == contactId).ExecuteDeleteAsync(ct);
        if (deleted == 0)
        {
            return false;
        }

        await audit.RecordAsync("contact.delete", $"contact/{contactId}", organisationId, ct);
        return true;
    }

    private static async Task<Results<Ok<List<ContactView>>, NotFound>> ListAsync(Guid organisationId, BulwarkDbContext db, Caller caller, CancellationToken ct)
    {
        if (caller.OrganisationId != organisationId)
        {
            return TypedResults.NotFound();
        }

        var contacts = await db.NoticeContacts.AsNoTracking().Where(c => c.OrganisationId == organisationId)
            .OrderBy(c => c.EscalationOrder).ThenBy(c => c.Email).ToListAsync(ct);
        return TypedResults.Ok(contacts.Select(View).ToList());
    }

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(
        Guid organisationId, Guid contactId, BulwarkDbContext db, Caller caller, AuditLog audit, CancellationToken ct)
    {
        if (caller.OrganisationId != organisationId)
        {
            return TypedResults.NotFound();
        }

        if (!await RemoveContactAsync(organisationId, contactId, db, audit, ct))
        {
            return TypedResults.NotFound();
        }

        return TypedResults.NoContent();
    }

    private static ContactView View(NoticeContact c) => new(c.Id, c.Email, c.Name, c.EscalationOrder, c.Language);

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTag();
}
