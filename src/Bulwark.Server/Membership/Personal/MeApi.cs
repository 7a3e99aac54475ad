using System.Security.Claims;
using System.Security.Cryptography;
using Bulwark.Data;
using Bulwark.Data.Membership;
using Bulwark.Server.Audit;
using Bulwark.Server.Membership.People;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Membership.Personal;

/// <summary>
/// What an individual does for themselves with their person token: opt personal email accounts in (proved by a
/// code sent to the address), choose whether their organisation may see them, read their consents, and
/// withdraw, which erases them.
/// </summary>
public static class MeApi
{
    public const int MaxAccountsPerPerson = 10;
    private const string PersonScope = "Person";

    public static RouteGroupBuilder MapMeApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Individuals").RequireAuthorization(PersonAccess.Policy);
        me.MapGet("/", GetAsync);
        me.MapPost("/token", Renew).WithSummary("A fresh person token, before the current one expires.");
        me.MapGet("/accounts", ListAccountsAsync).WithSummary("Your personal accounts, decrypted for you alone.");
        me.MapPost("/accounts", AddAccountAsync)
            .WithSummary("Opt a personal address in: it is stored encrypted with your own key and a code is sent to it. Sending an unverified address again sends a new code.");
        me.MapPost("/accounts/{accountId:guid}/verify", VerifyAsync);
        me.MapPut("/accounts/{accountId:guid}/visibility", SetVisibilityAsync)
            .WithSummary("Whether your organisation's admins may see incidents on this account.");
        me.MapDelete("/accounts/{accountId:guid}", RemoveAccountAsync);
        me.MapGet("/consents", ListConsentsAsync);
        me.MapPost("/withdraw", WithdrawAsync).WithSummary("Withdraw from Bulwark: your key is destroyed and your personal data erased. This cannot be undone.");
        return api;
    }

    public sealed record TokenView(string Token, DateTimeOffset ExpiresAt);

    public sealed record AccountRequest(string? Address, bool? OrganisationMayView);

    public sealed record CodeRequest(string? Code);

    public sealed record VisibilityRequest(bool? OrganisationMayView);

    public sealed record AccountView(Guid Id, string Address, bool Verified, DateTimeOffset? VerifiedAt, bool OrganisationMayView, DateTimeOffset CreatedAt, DateTimeOffset? CodeExpiresAt);

    /// <summary>An added account and the statements the person agreed to by adding it.</summary>
    public sealed record AccountAdded(AccountView Account, IReadOnlyList<string> Statements);

    public sealed record ConsentView(Guid Id, string Scope, string Statement, DateTimeOffset GrantedAt, DateTimeOffset? WithdrawnAt);

    public sealed record Withdrawn(DateTimeOffset ErasedAt);

    private static async Task<Ok<InvitationsApi.PersonSelf>> GetAsync(ClaimsPrincipal user, BulwarkDbContext db, CancellationToken ct)
    {
        var personId = PersonAccess.PersonId(user);
        var person = await db.People.AsNoTracking().FirstAsync(p => p.Id == personId, ct);
        return TypedResults.Ok(InvitationsApi.Self(person));
    }

    private static Ok<TokenView> Renew(ClaimsPrincipal user, PersonTokens tokens)
    {
        var (token, expires) = tokens.Issue(PersonAccess.PersonId(user), PersonAccess.OrganisationId(user));
        return TypedResults.Ok(new TokenView(token, expires));
    }

    private static async Task<Ok<List<AccountView>>> ListAccountsAsync(ClaimsPrincipal user, BulwarkDbContext db, PersonalData data, CancellationToken ct)
    {
        var personId = PersonAccess.PersonId(user);
        var accounts = await db.PersonalAccounts.AsNoTracking().Where(a => a.PersonId == personId).OrderBy(a => a.CreatedAt).ToListAsync(ct);
        if (accounts.Count == 0)
        {
            return TypedResults.Ok(new List<AccountView>());
        }

        var key = await KeyAsync(db, data, personId, ct);
        try
        {
            return TypedResults.Ok(accounts.Select(a => View(a, key)).ToList());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static async Task<Results<Created<AccountAdded>, Ok<AccountAdded>, ValidationProblem, ProblemHttpResult>> AddAccountAsync(
        AccountRequest request, ClaimsPrincipal user, BulwarkDbContext db, PersonalData data, MembershipMail mail, AuditLog audit,
        TimeProvider time, IOptions<MembershipOptions> options, CancellationToken ct)
    {
        if (!EmailAddress.TryNormalise(request.Address, out var address, out var error))
        {
            return MemberAccess.Invalid("address", error);
        }

        var personId = PersonAccess.PersonId(user);
        var person = await db.People.AsNoTracking().FirstAsync(p => p.Id == personId, ct);
        if (string.Equals(address, person.WorkEmail, StringComparison.Ordinal))
        {
            return MemberAccess.Invalid("address", "this is your work address, which your organisation already watches; add a personal one");
        }

        var settings = options.Value;
        var now = time.GetUtcNow();
        var lookup = data.Lookup(address);
        var account = await db.PersonalAccounts.FirstOrDefaultAsync(a => a.PersonId == personId && a.AddressLookup == lookup, ct);
        if (account?.VerifiedAt is not null)
        {
            return Problem(StatusCodes.Status409Conflict, "Already opted in", $"this address is already your verified account {account.Id}");
        }

        if (account?.CodeExpiresAt is { } expires && expires - settings.CodeLifetime + settings.CodeResendInterval > now)
        {
            return Problem(StatusCodes.Status429TooManyRequests, "A code was just sent", $"a code was sent to this address less than {settings.CodeResendInterval.TotalSeconds:0} seconds ago; use it, or wait before asking for another");
        }

        if (account is null && await db.PersonalAccounts.CountAsync(a => a.PersonId == personId, ct) >= MaxAccountsPerPerson)
        {
            return Problem(StatusCodes.Status409Conflict, "Too many accounts", $"a person may opt in at most {MaxAccountsPerPerson} personal accounts; remove one first");
        }

        var keyRow = await db.PersonKeys.FirstOrDefaultAsync(k => k.PersonId == personId, ct);
        byte[] key;
        if (keyRow is null)
        {
            (keyRow, key) = data.CreateKey(personId, now);
            db.PersonKeys.Add(keyRow);
        }
        else
        {
            key = data.Unwrap(keyRow);
        }

        var added = account is null;
        try
        {
            if (account is null)
            {
                var id = Guid.CreateVersion7(now);
                account = new PersonalAccount
                {
                    Id = id,
                    OrganisationId = person.OrganisationId,
                    PersonId = personId,
                    EncryptedAddress = PersonalData.EncryptAddress(key, id, address),
                    AddressLookup = lookup,
                    CreatedAt = now,
                };
                db.PersonalAccounts.Add(account);
                db.Consents.Add(Consent(account, Consents.Monitoring(id), Consents.MonitoringStatement, now));
            }

            var code = NewCode(settings.CodeDigits);
            account.VerificationCodeHash = data.CodeHash(account.Id, code);
            account.CodeExpiresAt = now + settings.CodeLifetime;
            account.CodeAttempts = 0;
            await ApplyVisibilityAsync(db, account, request.OrganisationMayView ?? false, now, ct);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                return Problem(StatusCodes.Status409Conflict, "Changed meanwhile", "another request changed your accounts at the same moment; try again");
            }

            if (!await mail.SendCodeAsync(address, code, person.Language, account.CodeExpiresAt.Value, account.Id, ct))
            {
                // Without the code the address can never be proved: take it back (or void the new code).
                if (added)
                {
                    var accountId = account.Id;
                    var scopes = Consents.About(accountId);
                    await db.Consents.Where(c => c.PersonId == personId && scopes.Contains(c.Scope)).ExecuteDeleteAsync(CancellationToken.None);
                    await db.PersonalAccounts.Where(a => a.Id == accountId).ExecuteDeleteAsync(CancellationToken.None);
                }
                else
                {
                    account.VerificationCodeHash = null;
                    account.CodeExpiresAt = null;
                    await db.SaveChangesAsync(CancellationToken.None);
                }

                return Problem(StatusCodes.Status503ServiceUnavailable, "The code could not be sent", "no email could be sent to this address now; try again later");
            }

            await audit.AppendAsync(personId, PersonScope, added ? "personal-account.add" : "personal-account.code", $"personal-account/{account.Id}", person.OrganisationId, ct);
            var result = new AccountAdded(View(account, key), StatementsFor(account));
            return added
                ? TypedResults.Created($"/api/v1/me/accounts/{account.Id}", result)
                : TypedResults.Ok(result);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static async Task<Results<Ok<AccountView>, ValidationProblem, NotFound, ProblemHttpResult>> VerifyAsync(
        Guid accountId, CodeRequest request, ClaimsPrincipal user, BulwarkDbContext db, PersonalData data, AuditLog audit,
        TimeProvider time, IOptions<MembershipOptions> options, CancellationToken ct)
    {
        var settings = options.Value;
        var code = request.Code?.Trim() ?? "";
        if (code.Length != settings.CodeDigits || !code.All(char.IsAsciiDigit))
        {
            return MemberAccess.Invalid("code", $"the {settings.CodeDigits}-digit code from the email");
        }

        var personId = PersonAccess.PersonId(user);
        var account = await db.PersonalAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId && a.PersonId == personId, ct);
        if (account is null)
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow();
        var again = "add the address again (POST /api/v1/me/accounts) for a new code";
        if (account.VerifiedAt is not null)
        {
            return Problem(StatusCodes.Status409Conflict, "Already verified", $"this account was verified on {account.VerifiedAt:u}");
        }

        if (account.VerificationCodeHash is null)
        {
            return Problem(StatusCodes.Status400BadRequest, "No code pending", $"no code is waiting for this account: {again}");
        }

        if (account.CodeExpiresAt <= now)
        {
            return Problem(StatusCodes.Status400BadRequest, "Code expired", $"the code expired on {account.CodeExpiresAt:u}: {again}");
        }

        // Count the attempt before comparing, in one conditional update: parallel guesses cannot pass the limit.
        var counted = await db.PersonalAccounts
            .Where(a => a.Id == accountId && a.PersonId == personId && a.VerificationCodeHash != null && a.CodeAttempts < settings.CodeMaxAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.CodeAttempts, a => a.CodeAttempts + 1), ct);
        var tracked = await db.PersonalAccounts.FirstAsync(a => a.Id == accountId, ct);
        if (counted == 0)
        {
            Void(tracked);
            await db.SaveChangesAsync(ct);
            return Problem(StatusCodes.Status400BadRequest, "Too many wrong codes", $"this code no longer works: {again}");
        }

        if (!CryptographicOperations.FixedTimeEquals(tracked.VerificationCodeHash, data.CodeHash(accountId, code)))
        {
            var left = settings.CodeMaxAttempts - tracked.CodeAttempts;
            if (left > 0)
            {
                return Problem(StatusCodes.Status400BadRequest, "Wrong code", $"this is not the code that was sent; {left} {(left == 1 ? "try" : "tries")} left");
            }

            Void(tracked);
            await db.SaveChangesAsync(ct);
            return Problem(StatusCodes.Status400BadRequest, "Wrong code", $"this is not the code that was sent, and that was the last try: {again}");
        }

        tracked.VerifiedAt = now;
        Void(tracked);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(personId, PersonScope, "personal-account.verify", $"personal-account/{accountId}", tracked.OrganisationId, ct);
        var key = await KeyAsync(db, data, personId, ct);
        try
        {
            return TypedResults.Ok(View(tracked, key));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static async Task<Results<Ok<AccountView>, ValidationProblem, NotFound>> SetVisibilityAsync(
        Guid accountId, VisibilityRequest request, ClaimsPrincipal user, BulwarkDbContext db, PersonalData data, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        if (request.OrganisationMayView is not { } mayView)
        {
            return MemberAccess.Invalid("organisationMayView", "true or false is required");
        }

        var personId = PersonAccess.PersonId(user);
        var account = await db.PersonalAccounts.FirstOrDefaultAsync(a => a.Id == accountId && a.PersonId == personId, ct);
        if (account is null)
        {
            return TypedResults.NotFound();
        }

        if (await ApplyVisibilityAsync(db, account, mayView, time.GetUtcNow(), ct))
        {
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(personId, PersonScope, mayView ? "consent.grant" : "consent.withdraw", $"personal-account/{accountId}", account.OrganisationId, ct);
        }

        var key = await KeyAsync(db, data, personId, ct);
        try
        {
            return TypedResults.Ok(View(account, key));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static async Task<Results<NoContent, NotFound>> RemoveAccountAsync(Guid accountId, ClaimsPrincipal user, BulwarkDbContext db, AuditLog audit, TimeProvider time, CancellationToken ct)
    {
        var personId = PersonAccess.PersonId(user);
        var account = await db.PersonalAccounts.FirstOrDefaultAsync(a => a.Id == accountId && a.PersonId == personId, ct);
        if (account is null)
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow();
        var scopes = Consents.About(accountId);
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            await db.Consents.Where(c => c.PersonId == personId && c.WithdrawnAt == null && scopes.Contains(c.Scope))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.WithdrawnAt, now), ct);
            db.PersonalAccounts.Remove(account);
            await db.SaveChangesAsync(ct);

            // With no account left, the key protects nothing: destroy it, so leftovers of this one are unreadable too.
            if (!await db.PersonalAccounts.AnyAsync(a => a.PersonId == personId, ct))
            {
                await db.PersonKeys.Where(k => k.PersonId == personId).ExecuteDeleteAsync(ct);
            }

            await transaction.CommitAsync(ct);
        }

        await audit.AppendAsync(personId, PersonScope, "personal-account.remove", $"personal-account/{accountId}", account.OrganisationId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<ConsentView>>> ListConsentsAsync(ClaimsPrincipal user, BulwarkDbContext db, CancellationToken ct)
    {
        var personId = PersonAccess.PersonId(user);
        var consents = await db.Consents.AsNoTracking().Where(c => c.PersonId == personId).OrderBy(c => c.GrantedAt).ToListAsync(ct);
        return TypedResults.Ok(consents.Select(c => new ConsentView(c.Id, c.Scope, c.Statement, c.GrantedAt, c.WithdrawnAt)).ToList());
    }

    private static async Task<Ok<Withdrawn>> WithdrawAsync(ClaimsPrincipal user, PersonErasure erasure, CancellationToken ct) =>
        TypedResults.Ok(new Withdrawn(await erasure.EraseAsync(PersonAccess.PersonId(user), ct)));

    /// <summary>
    /// Sets whether the organisation may see the account, recording consent as it changes: a grant writes a new
    /// record; taking it back marks the live one withdrawn. False when nothing changed.
    /// </summary>
    private static async Task<bool> ApplyVisibilityAsync(BulwarkDbContext db, PersonalAccount account, bool mayView, DateTimeOffset now, CancellationToken ct)
    {
        var scope = Consents.OrganisationView(account.Id);
        var live = await db.Consents.Where(c => c.PersonId == account.PersonId && c.Scope == scope && c.WithdrawnAt == null).ToListAsync(ct);
        if (mayView == account.OrganisationMayView && mayView == (live.Count > 0))
        {
            return false;
        }

        account.OrganisationMayView = mayView;
        if (mayView && live.Count == 0)
        {
            db.Consents.Add(Consent(account, scope, Consents.OrganisationViewStatement, now));
        }

        foreach (var consent in mayView ? [] : live)
        {
            consent.WithdrawnAt = now;
        }

        return true;
    }

    private static async Task<byte[]> KeyAsync(BulwarkDbContext db, PersonalData data, Guid personId, CancellationToken ct) =>
        data.Unwrap(await db.PersonKeys.AsNoTracking().FirstAsync(k => k.PersonId == personId, ct));

    private static ConsentRecord Consent(PersonalAccount account, string scope, string statement, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        OrganisationId = account.OrganisationId,
        PersonId = account.PersonId,
        Scope = scope,
        Statement = statement,
        GrantedAt = now,
    };

    private static string NewCode(int digits) =>
        RandomNumberGenerator.GetInt32(0, (int)Math.Pow(10, digits)).ToString($"D{digits}", System.Globalization.CultureInfo.InvariantCulture);

    private static void Void(PersonalAccount account)
    {
        account.VerificationCodeHash = null;
        account.CodeExpiresAt = null;
        account.CodeAttempts = 0;
    }

    private static IReadOnlyList<string> StatementsFor(PersonalAccount account) =>
        account.OrganisationMayView ? [Consents.MonitoringStatement, Consents.OrganisationViewStatement] : [Consents.MonitoringStatement];

    private static AccountView View(PersonalAccount a, byte[] key) => new(
        a.Id, PersonalData.DecryptAddress(key, a.Id, a.EncryptedAddress), a.VerifiedAt is not null, a.VerifiedAt, a.OrganisationMayView, a.CreatedAt, a.CodeExpiresAt);

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(detail, statusCode: status, title: title);
}
