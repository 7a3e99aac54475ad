using System.Security.Cryptography;
using Bulwark.Data;
using Bulwark.Data.Membership;
using Bulwark.Server.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Membership.Personal;

/// <summary>Why a personal-account action was refused; the API and the portal each word it for their readers.</summary>
public enum AccountRefusal
{
    InvalidAddress,
    WorkAddress,
    AlreadyOptedIn,
    CodeJustSent,
    TooManyAccounts,
    ChangedMeanwhile,
    CodeNotSent,
    InvalidCode,
    NotFound,
    AlreadyVerified,
    NoCodePending,
    CodeExpired,
    TooManyWrongCodes,
    WrongCode,
    WrongCodeLastTry,
}

/// <summary>The result of a personal-account action: a value, or a refusal with what the reader needs to act on it.</summary>
public sealed record AccountOutcome<T>(T? Value, AccountRefusal? Refusal = null, string? Detail = null, int TriesLeft = 0, DateTimeOffset? At = null, Guid? AccountId = null)
    where T : class
{
    public static AccountOutcome<T> Refused(AccountRefusal refusal, string? detail = null, int triesLeft = 0, DateTimeOffset? at = null, Guid? accountId = null) =>
        new(null, refusal, detail, triesLeft, at, accountId);
}

/// <summary>An address opted in (<c>Added</c>), or a new code sent for one added before.</summary>
public sealed record AccountAddition(MeApi.AccountAdded Result, bool Added);

/// <summary>
/// What an individual does for themselves, for the API (<c>/api/v1/me</c>) and the portal (<c>/me/accounts</c>):
/// opt personal email accounts in (proved by a code sent to the address), choose whether their organisation may
/// see them, remove them, and read their consents. Addresses are decrypted for the person alone, with their key.
/// </summary>
public sealed class PersonalAccounts(
    BulwarkDbContext db, PersonalData data, MembershipMail mail, AuditLog audit, TimeProvider time, IOptions<MembershipOptions> options)
{
    public const int MaxAccountsPerPerson = 10;
    private const string PersonScope = "Person";

    public int CodeDigits => options.Value.CodeDigits;

    public TimeSpan CodeResendInterval => options.Value.CodeResendInterval;

    public async Task<List<MeApi.AccountView>> ListAsync(Guid personId, CancellationToken ct)
    {
        var accounts = await db.PersonalAccounts.AsNoTracking().Where(a => a.PersonId == personId).OrderBy(a => a.CreatedAt).ToListAsync(ct);
        if (accounts.Count == 0)
        {
            return [];
        }

        var key = await KeyAsync(personId, ct);
        try
        {
            return accounts.Select(a => View(a, key)).ToList();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    public async Task<List<MeApi.ConsentView>> ConsentsAsync(Guid personId, CancellationToken ct)
    {
        var consents = await db.Consents.AsNoTracking().Where(c => c.PersonId == personId).OrderBy(c => c.GrantedAt).ToListAsync(ct);
        return consents.Select(c => new MeApi.ConsentView(c.Id, c.Scope, c.Statement, c.GrantedAt, c.WithdrawnAt)).ToList();
    }

    /// <summary>
    /// Opts a personal address in (stored encrypted with the person's own key, a code sent to it), or sends a new
    /// code for an address added but not verified. <c>Added</c> tells which.
    /// </summary>
    public async Task<AccountOutcome<AccountAddition>> AddAsync(Guid personId, string? address, bool organisationMayView, CancellationToken ct)
    {
        if (!EmailAddress.TryNormalise(address, out var normalised, out var error))
        {
            return AccountOutcome<AccountAddition>.Refused(AccountRefusal.InvalidAddress, error);
        }

        var person = await db.People.AsNoTracking().FirstAsync(p => p.Id == personId, ct);
        if (string.Equals(normalised, person.WorkEmail, StringComparison.Ordinal))
        {
            return AccountOutcome<AccountAddition>.Refused(AccountRefusal.WorkAddress);
        }

        var settings = options.Value;
        var now = time.GetUtcNow();
        var lookup = data.Lookup(normalised);
        var account = await db.PersonalAccounts.FirstOrDefaultAsync(a => a.PersonId == personId && a.AddressLookup == lookup, ct);
        if (account?.VerifiedAt is not null)
        {
            return AccountOutcome<AccountAddition>.Refused(AccountRefusal.AlreadyOptedIn, accountId: account.Id);
        }

        if (account?.CodeExpiresAt is { } expires && expires - settings.CodeLifetime + settings.CodeResendInterval > now)
        {
            return AccountOutcome<AccountAddition>.Refused(AccountRefusal.CodeJustSent, accountId: account.Id);
        }

        if (account is null && await db.PersonalAccounts.CountAsync(a => a.PersonId == personId, ct) >= MaxAccountsPerPerson)
        {
            return AccountOutcome<AccountAddition>.Refused(AccountRefusal.TooManyAccounts);
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
                    EncryptedAddress = PersonalData.EncryptAddress(key, id, normalised),
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
            await ApplyVisibilityAsync(account, organisationMayView, now, ct);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                return AccountOutcome<AccountAddition>.Refused(AccountRefusal.ChangedMeanwhile);
            }

            if (!await mail.SendCodeAsync(normalised, code, person.Language, account.CodeExpiresAt.Value, account.Id, ct))
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

                return AccountOutcome<AccountAddition>.Refused(AccountRefusal.CodeNotSent);
            }

            await audit.AppendAsync(personId, PersonScope, added ? "personal-account.add" : "personal-account.code", $"personal-account/{account.Id}", person.OrganisationId, ct);
            return new(new AccountAddition(new MeApi.AccountAdded(View(account, key), StatementsFor(account)), added));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Proves an address with the code sent to it; wrong codes are counted and the last try voids the code.</summary>
    public async Task<AccountOutcome<MeApi.AccountView>> VerifyAsync(Guid personId, Guid accountId, string? code, CancellationToken ct)
    {
        var settings = options.Value;
        code = code?.Trim() ?? "";
        if (code.Length != settings.CodeDigits || !code.All(char.IsAsciiDigit))
        {
            return AccountOutcome<MeApi.AccountView>.Refused(AccountRefusal.InvalidCode);
        }

        var account = await db.PersonalAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId && a.PersonId == personId, ct);
        if (account is null)
        {
            return AccountOutcome<MeApi.AccountView>.Refused(AccountRefusal.NotFound);
        }

        var now = time.GetUtcNow();
        if (account.VerifiedAt is not null)
        {
            return AccountOutcome<MeApi.AccountView>.Refused(AccountRefusal.AlreadyVerified, at: account.VerifiedAt);
        }

        if (account.VerificationCodeHash is null)
        {
            return AccountOutcome<MeApi.AccountView>.Refused(AccountRefusal.NoCodePending);
        }

        if (account.CodeExpiresAt <= now)
        {
            return AccountOutcome<MeApi.AccountView>.Refused(AccountRefusal.CodeExpired, at: account.CodeExpiresAt);
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
            return AccountOutcome<MeApi.AccountView>.Refused(AccountRefusal.TooManyWrongCodes);
        }

        if (!CryptographicOperations.FixedTimeEquals(tracked.VerificationCodeHash, data.CodeHash(accountId, code)))
        {
            var left = settings.CodeMaxAttempts - tracked.CodeAttempts;
            if (left > 0)
            {
                return AccountOutcome<MeApi.AccountView>.Refused(AccountRefusal.WrongCode, triesLeft: left);
            }

            Void(tracked);
            await db.SaveChangesAsync(ct);
            return AccountOutcome<MeApi.AccountView>.Refused(AccountRefusal.WrongCodeLastTry);
        }

        tracked.VerifiedAt = now;
        Void(tracked);
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(personId, PersonScope, "personal-account.verify", $"personal-account/{accountId}", tracked.OrganisationId, ct);
        var key = await KeyAsync(personId, ct);
        try
        {
            return new(View(tracked, key));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Whether the organisation's admins may see incidents on the account; null when it is not the person's.</summary>
    public async Task<MeApi.AccountView?> SetVisibilityAsync(Guid personId, Guid accountId, bool mayView, CancellationToken ct)
    {
        var account = await db.PersonalAccounts.FirstOrDefaultAsync(a => a.Id == accountId && a.PersonId == personId, ct);
        if (account is null)
        {
            return null;
        }

        if (await ApplyVisibilityAsync(account, mayView, time.GetUtcNow(), ct))
        {
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(personId, PersonScope, mayView ? "consent.grant" : "consent.withdraw", $"personal-account/{accountId}", account.OrganisationId, ct);
        }

        var key = await KeyAsync(personId, ct);
        try
        {
            return View(account, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Removes an account, withdrawing its consents; the last one takes the person's key with it. False when it is not the person's.</summary>
    public async Task<bool> RemoveAsync(Guid personId, Guid accountId, CancellationToken ct)
    {
        var account = await db.PersonalAccounts.FirstOrDefaultAsync(a => a.Id == accountId && a.PersonId == personId, ct);
        if (account is null)
        {
            return false;
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
        return true;
    }

    /// <summary>
    /// Sets whether the organisation may see the account, recording consent as it changes: a grant writes a new
    /// record; taking it back marks the live one withdrawn. False when nothing changed.
    /// </summary>
    private async Task<bool> ApplyVisibilityAsync(PersonalAccount account, bool mayView, DateTimeOffset now, CancellationToken ct)
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

    private async Task<byte[]> KeyAsync(Guid personId, CancellationToken ct) =>
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

    private static MeApi.AccountView View(PersonalAccount a, byte[] key) => new(
        a.Id, PersonalData.DecryptAddress(key, a.Id, a.EncryptedAddress), a.VerifiedAt is not null, a.VerifiedAt, a.OrganisationMayView, a.CreatedAt, a.CodeExpiresAt);
}
