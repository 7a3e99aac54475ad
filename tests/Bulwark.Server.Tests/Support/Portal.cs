using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Bulwark.Data.Membership;
using Bulwark.Data.Portal;
using Bulwark.Server.Portal;
using Bulwark.Server.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Bulwark.Server.Tests.Support;

/// <summary>Portal accounts made straight in the database, for tests that start signed in.</summary>
public static class PortalUsers
{
    public const string Password = "correct horse battery staple 42";

    /// <summary>An operator or analyst account (no one-time password: ready to use).</summary>
    public static async Task<PortalUser> CreateStaffAsync(BulwarkServer server, string userName, string role)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<PortalAccounts>();
        var user = await accounts.CreateStaffAsync(userName, null, role, Password, CancellationToken.None)
            ?? throw new InvalidOperationException($"user {userName} exists already");
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var stored = await users.FindByIdAsync(user.Id.ToString());
        stored!.MustChangePassword = false;
        await users.UpdateAsync(stored);
        return stored;
    }

    /// <summary>A person of <paramref name="organisationId"/> with a portal account named after their work address.</summary>
    public static async Task<(Person Person, PortalUser User)> CreatePersonAsync(
        BulwarkServer server, Guid organisationId, string workEmail, PersonRole role = PersonRole.Staff, string displayName = "Alex Martin", string language = "en")
    {
        await using var scope = server.Services.CreateAsyncScope();
        var now = TimeProvider.System.GetUtcNow();
        var person = new Person
        {
            Id = Guid.CreateVersion7(),
            OrganisationId = organisationId,
            DisplayName = displayName,
            WorkEmail = workEmail,
            Role = role,
            Language = language,
            CreatedAt = now,
        };
        await using (var db = scope.ServiceProvider.GetRequiredService<TenantDatabase>().Open(organisationId))
        {
            db.People.Add(person);
            await db.SaveChangesAsync();
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser
        {
            Id = Guid.CreateVersion7(),
            UserName = workEmail,
            Email = workEmail,
            OrganisationId = organisationId,
            PersonId = person.Id,
            Language = language,
            CreatedAt = now,
        };
        var created = await users.CreateAsync(user, Password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        }

        return (person, user);
    }

    /// <summary>Turns on TOTP for the user and returns its secret (base32), as an authenticator app would hold it.</summary>
    public static async Task<string> EnableTotpAsync(BulwarkServer server, PortalUser user)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var stored = await users.FindByIdAsync(user.Id.ToString());
        await users.ResetAuthenticatorKeyAsync(stored!);
        var key = await users.GetAuthenticatorKeyAsync(stored!);
        await users.SetTwoFactorEnabledAsync(stored!, true);
        return key!;
    }

    public static string TotpCode(string base32Secret) => new Totp(Base32Encoding.ToBytes(base32Secret)).ComputeTotp();
}

/// <summary>
/// A cookie-keeping HTTP client that reads pages as HTML and submits their forms with the anti-forgery token,
/// as a browser without JavaScript would. Redirects are not followed, so tests see them.
/// </summary>
public sealed class PortalBrowser
{
    private static readonly HtmlParser Parser = new();
    private readonly HttpClient _http;

    public PortalBrowser(WebApplicationFactory<Program> server)
    {
        (server as BulwarkServer)?.EnsureAvailable();
        _http = server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
    }

    public HttpClient Http => _http;

    public sealed record PageResult(HttpStatusCode Status, IDocument Document, Uri? Location, HttpResponseMessage Response)
    {
        public string Text => Document.Body?.TextContent ?? "";

        /// <summary>Where a redirect points, as path and query, whether the server wrote it absolute or relative.</summary>
        public string? Target => Location is null ? null : Location.IsAbsoluteUri ? Location.PathAndQuery : Location.OriginalString;

        /// <summary>The redirect's path without its query.</summary>
        public string? TargetPath => Target?.Split('?')[0];
    }

    public async Task<PageResult> GetAsync(string path)
    {
        var response = await _http.GetAsync(path);
        return await ReadAsync(response);
    }

    /// <summary>Loads <paramref name="path"/>, picks the form (by CSS selector, else the one in main), fills and posts it.</summary>
    public async Task<PageResult> SubmitAsync(string path, IReadOnlyDictionary<string, string> fields, string? formSelector = null)
    {
        var page = await GetAsync(path);
        if (page.Status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)page.Status} {page.Location}");
        }

        return await SubmitAsync(page, fields, formSelector, path);
    }

    public async Task<PageResult> SubmitAsync(PageResult page, IReadOnlyDictionary<string, string> fields, string? formSelector, string path)
    {
        var form = (formSelector is null ? page.Document.QuerySelector("main form") : page.Document.QuerySelector(formSelector))
            ?? throw new InvalidOperationException($"no form {formSelector} on {path}");
        var values = new List<KeyValuePair<string, string>>();
        foreach (var input in form.QuerySelectorAll("input[name], select[name], textarea[name]"))
        {
            var name = input.GetAttribute("name")!;
            if (fields.ContainsKey(name))
            {
                continue;
            }

            var type = input.GetAttribute("type");
            if (type is "checkbox" or "radio" && !input.HasAttribute("checked"))
            {
                continue;
            }

            var value = input.LocalName == "select"
                ? (input.QuerySelector("option[selected]") ?? input.QuerySelector("option"))?.GetAttribute("value") ?? ""
                : input.LocalName == "textarea" ? input.TextContent : input.GetAttribute("value") ?? "";
            values.Add(new(name, value));
        }

        values.AddRange(fields);
        var action = form.GetAttribute("action");
        var target = string.IsNullOrEmpty(action) ? path : action;
        var response = await _http.PostAsync(target, new FormUrlEncodedContent(values));
        return await ReadAsync(response);
    }

    /// <summary>Signs in with a password and, when given, the current TOTP code; returns the final redirect.</summary>
    public async Task<PageResult> SignInAsync(string userName, string password = PortalUsers.Password, string? totpSecret = null)
    {
        var result = await SubmitAsync("/account/sign-in", new Dictionary<string, string> { ["UserName"] = userName, ["Password"] = password }, "main form:not(#passkey-form)");
        if (result.TargetPath == "/account/two-factor" && totpSecret is not null)
        {
            result = await SubmitAsync(result.Target!, new Dictionary<string, string> { ["Code"] = PortalUsers.TotpCode(totpSecret) });
        }

        return result;
    }

    private static async Task<PageResult> ReadAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var document = await Parser.ParseDocumentAsync(html);
        return new PageResult(response.StatusCode, document, response.Headers.Location, response);
    }
}
