using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Data.Portal;
using Bulwark.Server.Audit;
using Microsoft.AspNetCore.Identity;

namespace Bulwark.Server.Portal;

/// <summary>What became of a reset code entered on <c>/account/reset</c>.</summary>
public enum ResetOutcome
{
    /// <summary>The password is replaced; lockout is cleared and every other session has ended.</summary>
    Done,

    /// <summary>No such account, no code, a wrong code, or a code spent by too many wrong tries (one answer for all).</summary>
    Invalid,

    /// <summary>The right code, after its 24 hours.</summary>
    Expired,

    /// <summary>The right code, but the account has two-factor sign-in on: one of its recovery codes is needed too.</summary>
    RecoveryCodeRequired,

    /// <summary>The right code with a recovery code that is not one of the account's (or was used already).</summary>
    RecoveryCodeInvalid,

    /// <summary>The new password breaks a password rule (<see cref="ResetResult.Errors"/>).</summary>
    PasswordRejected,
}

public sealed record ResetResult(ResetOutcome Outcome, IReadOnlyList<IdentityError> Errors)
{
    public static ResetResult Of(ResetOutcome outcome) => new(outcome, []);
}

/// <summary>
/// Password reset without the mailbox (ADR 11): an operator (or org admin) issues a short one-time code, read to
/// the person out of band; the person enters it with a new password, and with one of their recovery codes when
/// two-factor sign-in is on, so neither the code alone nor someone holding the person's mailbox can take the
/// account over. The code is stored only as a hash, with its expiry and wrong tries, in Identity's user tokens.
/// </summary>
public sealed class PasswordResets(UserManager<PortalUser> users, AuditLog audit, TimeProvider time)
{
    public const string LoginProvider = "Bulwark";
    public const string TokenName = "ResetCode";
    public const int MaxWrongTries = 5;

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    // No 0/O, 1/I/L: the code is read aloud or over a poor line. 31^16 ≈ 2^79 possible codes.
    private const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    private const int Length = 16;

    /// <summary>A new code for <paramref name="user"/> (replacing any earlier one), to show once; audited as the caller.</summary>
    public async Task<(string Code, DateTimeOffset ExpiresAt)> IssueAsync(PortalUser user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var code = new string(RandomNumberGenerator.GetItems<char>(Alphabet, Length));
        var expires = time.GetUtcNow() + Lifetime;
        Check(await users.SetAuthenticationTokenAsync(user, LoginProvider, TokenName, new Stored(expires, 0, Hash(user.Id, code)).ToString()));
        await audit.RecordAsync("account.reset-code.issue", $"user/{user.Id}", user.OrganisationId, ct);
        return (string.Join('-', code.Chunk(4).Select(c => new string(c))), expires);
    }

    /// <summary>Whether the user holds a reset code that has not expired.</summary>
    public async Task<bool> HasPendingCodeAsync(PortalUser user) =>
        Stored.TryParse(await users.GetAuthenticationTokenAsync(user, LoginProvider, TokenName), out var stored) && stored.ExpiresAt > time.GetUtcNow();

    public async Task<ResetResult> RedeemAsync(string? userName, string? code, string? recoveryCode, string? newPassword, CancellationToken ct)
    {
        var user = string.IsNullOrWhiteSpace(userName) || userName.Length > 256 ? null : await users.FindByNameAsync(userName.Trim());
        var normalised = Normalise(code);
        if (user is null || normalised is null
            || !Stored.TryParse(await users.GetAuthenticationTokenAsync(user, LoginProvider, TokenName), out var stored))
        {
            return ResetResult.Of(ResetOutcome.Invalid);
        }

        if (!CryptographicOperations.FixedTimeEquals(stored.Hash, Hash(user.Id, normalised)))
        {
            await WrongTryAsync(user, stored);
            return ResetResult.Of(ResetOutcome.Invalid);
        }

        if (stored.ExpiresAt <= time.GetUtcNow())
        {
            await users.RemoveAuthenticationTokenAsync(user, LoginProvider, TokenName);
            return ResetResult.Of(ResetOutcome.Expired);
        }

        // Check the password before anything is spent, so a refused password costs no recovery code.
        var errors = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, newPassword ?? "");
            errors.AddRange(result.Errors);
        }

        if (string.IsNullOrEmpty(newPassword) || errors.Count > 0)
        {
            return new ResetResult(ResetOutcome.PasswordRejected, errors);
        }

        if (await users.GetTwoFactorEnabledAsync(user))
        {
            var recovery = recoveryCode?.Replace(" ", "", StringComparison.Ordinal).Trim();
            if (string.IsNullOrEmpty(recovery))
            {
                return ResetResult.Of(ResetOutcome.RecoveryCodeRequired);
            }

            if (recovery.Length > 64 || !(await users.RedeemTwoFactorRecoveryCodeAsync(user, recovery)).Succeeded)
            {
                await WrongTryAsync(user, stored);
                return ResetResult.Of(ResetOutcome.RecoveryCodeInvalid);
            }
        }

        // Spend the code first: of two simultaneous redemptions, the user row's concurrency stamp lets one through.
        if (!(await users.RemoveAuthenticationTokenAsync(user, LoginProvider, TokenName)).Succeeded)
        {
            return ResetResult.Of(ResetOutcome.Invalid);
        }

        // ResetPasswordAsync also renews the security stamp: every other session of the account ends.
        var reset = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), newPassword);
        if (!reset.Succeeded)
        {
            return new ResetResult(ResetOutcome.PasswordRejected, [.. reset.Errors]);
        }

        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        if (user.MustChangePassword)
        {
            user.MustChangePassword = false;
            await users.UpdateAsync(user);
        }

        await audit.AppendAsync(user.Id, user.PersonId is null ? "Staff" : "Person", "account.password-reset", $"user/{user.Id}", user.OrganisationId, ct);
        return ResetResult.Of(ResetOutcome.Done);
    }

    /// <summary>The code without separators, in capitals; null when it cannot be a code.</summary>
    private static string? Normalise(string? code)
    {
        if (code is null || code.Length > 64)
        {
            return null;
        }

        var plain = new string([.. code.Where(c => !char.IsWhiteSpace(c) && c != '-').Select(char.ToUpperInvariant)]);
        return plain.Length == Length && plain.All(Alphabet.Contains) ? plain : null;
    }

    private async Task WrongTryAsync(PortalUser user, Stored stored)
    {
        if (stored.WrongTries + 1 >= MaxWrongTries)
        {
            await users.RemoveAuthenticationTokenAsync(user, LoginProvider, TokenName);
        }
        else
        {
            await users.SetAuthenticationTokenAsync(user, LoginProvider, TokenName, (stored with { WrongTries = stored.WrongTries + 1 }).ToString());
        }
    }

    /// <summary>Bound to the account: the same code given to another user would not match.</summary>
    private static byte[] Hash(Guid userId, string code) => SHA256.HashData(Encoding.UTF8.GetBytes($"{userId:N}:{code}"));

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("reset code: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    /// <summary>The stored token: <c>v1:{expiry, unix seconds}:{wrong tries}:{SHA-256, base64}</c>.</summary>
    private sealed record Stored(DateTimeOffset ExpiresAt, int WrongTries, byte[] Hash)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"v1:{ExpiresAt.ToUnixTimeSeconds()}:{WrongTries}:{Convert.ToBase64String(Hash)}");

        public static bool TryParse(string? value, out Stored stored)
        {
            stored = null!;
            var parts = value?.Split(':');
            if (parts is not ["v1", var expires, var tries, var hash]
                || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                || !int.TryParse(tries, NumberStyles.None, CultureInfo.InvariantCulture, out var wrong))
            {
                return false;
            }

            var bytes = new byte[32];
            if (!Convert.TryFromBase64String(hash, bytes, out var written) || written != 32)
            {
                return false;
            }

            stored = new Stored(DateTimeOffset.FromUnixTimeSeconds(seconds), wrong, bytes);
            return true;
        }
    }
}
