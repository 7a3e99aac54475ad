using System.Security.Claims;
using Bulwark.Data;
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
    public const int MaxAccountsPerPerson = PersonalAccounts.MaxAccountsPerPerson;

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

    private static async Task<Ok<List<AccountView>>> ListAccountsAsync(ClaimsPrincipal user, PersonalAccounts accounts, CancellationToken ct) =>
        TypedResults.Ok(await accounts.ListAsync(PersonAccess.PersonId(user), ct));

    private static async Task<Results<Created<AccountAdded>, Ok<AccountAdded>, ValidationProblem, ProblemHttpResult>> AddAccountAsync(
        AccountRequest request, ClaimsPrincipal user, PersonalAccounts accounts, IOptions<MembershipOptions> options, CancellationToken ct)
    {
        var outcome = await accounts.AddAsync(PersonAccess.PersonId(user), request.Address, request.OrganisationMayView ?? false, ct);
        if (outcome.Value is { } done)
        {
            return done.Added
                ? TypedResults.Created($"/api/v1/me/accounts/{done.Result.Account.Id}", done.Result)
                : TypedResults.Ok(done.Result);
        }

        return outcome.Refusal switch
        {
            AccountRefusal.InvalidAddress => MemberAccess.Invalid("address", outcome.Detail ?? ""),
            AccountRefusal.WorkAddress => MemberAccess.Invalid("address", "this is your work address, which your organisation already watches; add a personal one"),
            AccountRefusal.AlreadyOptedIn => Problem(StatusCodes.Status409Conflict, "Already opted in", $"this address is already your verified account {outcome.AccountId}"),
            AccountRefusal.CodeJustSent => Problem(StatusCodes.Status429TooManyRequests, "A code was just sent", $"a code was sent to this address less than {options.Value.CodeResendInterval.TotalSeconds:0} seconds ago; use it, or wait before asking for another"),
            AccountRefusal.TooManyAccounts => Problem(StatusCodes.Status409Conflict, "Too many accounts", $"a person may opt in at most {MaxAccountsPerPerson} personal accounts; remove one first"),
            AccountRefusal.ChangedMeanwhile => Problem(StatusCodes.Status409Conflict, "Changed meanwhile", "another request changed your accounts at the same moment; try again"),
            _ => Problem(StatusCodes.Status503ServiceUnavailable, "The code could not be sent", "no email could be sent to this address now; try again later"),
        };
    }

    private static async Task<Results<Ok<AccountView>, ValidationProblem, NotFound, ProblemHttpResult>> VerifyAsync(
        Guid accountId, CodeRequest request, ClaimsPrincipal user, PersonalAccounts accounts, CancellationToken ct)
    {
        var outcome = await accounts.VerifyAsync(PersonAccess.PersonId(user), accountId, request.Code, ct);
        if (outcome.Value is { } verified)
        {
            return TypedResults.Ok(verified);
        }

        var again = "add the address again (POST /api/v1/me/accounts) for a new code";
        return outcome.Refusal switch
        {
            AccountRefusal.InvalidCode => MemberAccess.Invalid("code", $"the {accounts.CodeDigits}-digit code from the email"),
            AccountRefusal.NotFound => TypedResults.NotFound(),
            AccountRefusal.AlreadyVerified => Problem(StatusCodes.Status409Conflict, "Already verified", $"this account was verified on {outcome.At:u}"),
            AccountRefusal.NoCodePending => Problem(StatusCodes.Status400BadRequest, "No code pending", $"no code is waiting for this account: {again}"),
            AccountRefusal.CodeExpired => Problem(StatusCodes.Status400BadRequest, "Code expired", $"the code expired on {outcome.At:u}: {again}"),
            AccountRefusal.TooManyWrongCodes => Problem(StatusCodes.Status400BadRequest, "Too many wrong codes", $"this code no longer works: {again}"),
            AccountRefusal.WrongCode => Problem(StatusCodes.Status400BadRequest, "Wrong code", $"this is not the code that was sent; {outcome.TriesLeft} {(outcome.TriesLeft == 1 ? "try" : "tries")} left"),
            _ => Problem(StatusCodes.Status400BadRequest, "Wrong code", $"this is not the code that was sent, and that was the last try: {again}"),
        };
    }

    private static async Task<Results<Ok<AccountView>, ValidationProblem, NotFound>> SetVisibilityAsync(
        Guid accountId, VisibilityRequest request, ClaimsPrincipal user, PersonalAccounts accounts, CancellationToken ct)
    {
        if (request.OrganisationMayView is not { } mayView)
        {
            return MemberAccess.Invalid("organisationMayView", "true or false is required");
        }

        return await accounts.SetVisibilityAsync(PersonAccess.PersonId(user), accountId, mayView, ct) is { } account
            ? TypedResults.Ok(account)
            : TypedResults.NotFound();
    }

    private static async Task<Results<NoContent, NotFound>> RemoveAccountAsync(Guid accountId, ClaimsPrincipal user, PersonalAccounts accounts, CancellationToken ct) =>
        await accounts.RemoveAsync(PersonAccess.PersonId(user), accountId, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Ok<List<ConsentView>>> ListConsentsAsync(ClaimsPrincipal user, PersonalAccounts accounts, CancellationToken ct) =>
        TypedResults.Ok(await accounts.ConsentsAsync(PersonAccess.PersonId(user), ct));

    private static async Task<Ok<Withdrawn>> WithdrawAsync(ClaimsPrincipal user, PersonErasure erasure, CancellationToken ct) =>
        TypedResults.Ok(new Withdrawn(await erasure.EraseAsync(PersonAccess.PersonId(user), ct)));

    private static ProblemHttpResult Problem(int status, string title, string detail) => TypedResults.Problem(detail, statusCode: status, title: title);
}
