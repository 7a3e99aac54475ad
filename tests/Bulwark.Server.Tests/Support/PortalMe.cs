using AngleSharp.Html.Parser;
using Bulwark.Core.Findings;
using Bulwark.Data.Membership;
using Bulwark.Data.Notification;
using Bulwark.Data.Portal;

namespace Bulwark.Server.Tests.Support;

/// <summary>Seeding for the individual's pages: an admitted organisation with a signed-in person, and notices.</summary>
public static class PortalMe
{
    public const string PersonSummary =
        "What we saw: activity against a personal account you asked Bulwark to watch.\n" +
        "- Suspicious sign-in to a personal account: 2 occurrences\n" +
        "When: on 2026-03-01.\n" +
        "How sure we are: high confidence: the evidence matches this attack closely.";

    public const string PersonRemediation =
        "1. Change the password of this account.\n" +
        "2. If you need help, contact your organisation's security contact or the Access Now Digital Security Helpline.";

    /// <summary>A person with a portal account in a fresh admitted organisation, and a browser signed in as them.</summary>
    public static async Task<(Member Member, Person Person, PortalUser User, PortalBrowser Browser)> SignedInPersonAsync(
        MembershipServer server, PersonRole role = PersonRole.Staff, Member? member = null)
    {
        member ??= await server.AdmitAsync("Portal Me " + Guid.NewGuid().ToString("N")[..6]);
        var (person, user) = await PortalUsers.CreatePersonAsync(server, member.Id, $"me-{Guid.NewGuid():N}@example.org", role);
        var browser = new PortalBrowser(server);
        var signedIn = await browser.SignInAsync(user.UserName!);
        Assert.Equal("/", signedIn.Target);
        return (member, person, user, browser);
    }

    /// <summary>A notice to <paramref name="personId"/> (or, when null, to the organisation), stored as the issuer would store it.</summary>
    public static async Task<Guid> AddNoticeAsync(
        MembershipServer server, Guid organisationId, Guid? personId, string title, DateTimeOffset createdAt,
        bool acknowledged = false, Severity severity = Severity.High, Confidence confidence = Confidence.High)
    {
        var id = Guid.CreateVersion7(createdAt);
        await server.WithDbAsync(db =>
        {
            db.Notices.Add(new Notice
            {
                Id = id,
                OrganisationId = organisationId,
                IncidentId = Guid.CreateVersion7(createdAt),
                Audience = personId is null ? NoticeAudience.Organisation : NoticeAudience.Person,
                PersonId = personId,
                Title = title,
                Summary = PersonSummary,
                Severity = severity,
                Confidence = confidence,
                Remediation = PersonRemediation,
                CreatedAt = createdAt,
                AcknowledgedAt = acknowledged ? createdAt.AddHours(1) : null,
            });
            return db.SaveChangesAsync();
        });
        return id;
    }

    public static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value);

    /// <summary>The texts of the page's error list, in order.</summary>
    public static List<string> Errors(PortalBrowser.PageResult page) => page.Document.QuerySelectorAll(".errors li").Select(e => e.TextContent).ToList();

    /// <summary>The status line a redirect leads to.</summary>
    public static async Task<string?> StatusAfterAsync(PortalBrowser browser, PortalBrowser.PageResult redirect)
    {
        Assert.Equal(System.Net.HttpStatusCode.Redirect, redirect.Status);
        var page = await browser.GetAsync(redirect.Target!);
        return page.Document.QuerySelector("p.status")?.TextContent;
    }

    /// <summary>Posts <paramref name="fields"/> to any address with the anti-forgery token of <paramref name="page"/>, as a hand-made form would.</summary>
    public static async Task<PortalBrowser.PageResult> PostAsync(PortalBrowser browser, PortalBrowser.PageResult page, string url, Dictionary<string, string> fields)
    {
        var token = page.Document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException("the page has no anti-forgery token");
        var values = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
        var response = await browser.Http.PostAsync(url, new FormUrlEncodedContent(values));
        var document = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        return new PortalBrowser.PageResult(response.StatusCode, document, response.Headers.Location, response);
    }
}
