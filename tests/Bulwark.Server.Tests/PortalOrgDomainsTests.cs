using System.Globalization;
using System.Net;
using Bulwark.Data.Membership;
using Bulwark.Server.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server.Tests;

/// <summary>The org admin's domains page: claim, the TXT record to publish, "verify now" against a real DNS server (dnsmasq), remove.</summary>
public abstract class PortalOrgDomainsTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : MembershipServer
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Form(params (string Key, string Value)[] fields) => fields.ToDictionary(f => f.Key, f => f.Value);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.GetCultureInfo("en"));

    private static List<string> Errors(PortalBrowser.PageResult page) => [.. page.Document.QuerySelectorAll(".errors li").Select(li => li.TextContent)];

    private static string Label() => "d" + Guid.NewGuid().ToString("N")[..16];

    [Fact]
    public async Task Claimed_domain_shows_its_TXT_record_and_verifies_once_published()
    {
        server.Dns.EnsureAvailable();
        var (member, browser) = await AdminAsync("Domains Org");
        var (_, otherBrowser) = await AdminAsync("Other Domains Org");
        var label = Label();
        var name = $"{label}.test";
        Assert.Equal("No domain claimed yet.", (await browser.GetAsync("/org/domains")).Document.QuerySelector("#domains-title ~ p.muted")!.TextContent);

        var claimed = await browser.SubmitAsync("/org/domains", Form(("Name", $" {label.ToUpperInvariant()}.Test. ")), "#claim-form");

        Assert.Equal((HttpStatusCode.Redirect, "/org/domains"), (claimed.Status, claimed.Target));
        var page = await browser.GetAsync("/org/domains");
        Assert.Equal($"{name} is claimed. Publish its TXT record, then choose Verify now.", page.Document.QuerySelector("p.status")!.TextContent);
        var stored = await server.WithDbAsync(db => db.Domains.AsNoTracking().SingleAsync(d => d.OrganisationId == member.Id, Ct));
        var value = $"bulwark-verification={stored.VerificationToken}";
        Assert.Matches("^bulwark-verification=[0-9a-f]{32}$", value);
        var row = page.Document.QuerySelector($"#domains tr[data-domain='{stored.Id}']")!;
        Assert.Equal((name, value, "Not verified yet"), (row.QuerySelector(".name")!.TextContent, row.QuerySelector("code.record")!.TextContent, row.QuerySelector(".state")!.TextContent));

        // Not published yet: the name does not exist in DNS.
        var absent = await browser.SubmitAsync(page, Form(), $"tr[data-domain='{stored.Id}'] form.verify", "/org/domains");
        Assert.Equal(HttpStatusCode.OK, absent.Status);
        Assert.Equal([$"{name} does not exist in DNS. Publish a TXT record at {name} with the value {value}, then verify again."], Errors(absent));
        Assert.Null((await server.WithDbAsync(db => db.Domains.AsNoTracking().SingleAsync(d => d.Id == stored.Id, Ct))).VerifiedAt);

        // Another organisation cannot verify, remove or claim it.
        var foreign = await otherBrowser.GetAsync("/org/domains");
        Assert.Equal(HttpStatusCode.NotFound, await PostAsync(otherBrowser, foreign, "/org/domains?handler=Verify", ("id", stored.Id.ToString())));
        Assert.Equal(HttpStatusCode.NotFound, await PostAsync(otherBrowser, foreign, "/org/domains?handler=Remove", ("id", stored.Id.ToString())));
        Assert.Equal(HttpStatusCode.NotFound, await PostAsync(otherBrowser, foreign, "/org/domains?handler=Remove", ("id", "<script>")));
        var taken = await otherBrowser.SubmitAsync("/org/domains", Form(("Name", name)), "#claim-form");
        Assert.Equal([$"{name} is already claimed on this instance. If it is yours, ask the operator."], Errors(taken));

        await server.Dns.AddTxtAsync(name, "v=spf1 -all");
        await server.Dns.AddTxtAsync(name, value);
        var verified = await browser.SubmitAsync(await browser.GetAsync("/org/domains"), Form(), $"tr[data-domain='{stored.Id}'] form.verify", "/org/domains");

        Assert.Equal((HttpStatusCode.Redirect, "/org/domains"), (verified.Status, verified.Target));
        var after = await browser.GetAsync("/org/domains");
        Assert.Equal($"{name} is verified.", after.Document.QuerySelector("p.status")!.TextContent);
        row = after.Document.QuerySelector($"#domains tr[data-domain='{stored.Id}']")!;
        Assert.Equal($"Verified on {Time(server.Clock.GetUtcNow())}", row.QuerySelector(".state")!.TextContent);
        Assert.Null(row.QuerySelector("form.verify"));
        Assert.Equal(server.Clock.GetUtcNow(), (await server.WithDbAsync(db => db.Domains.AsNoTracking().SingleAsync(d => d.Id == stored.Id, Ct))).VerifiedAt);

        var removed = await browser.SubmitAsync(after, Form(), $"tr[data-domain='{stored.Id}'] form.remove", "/org/domains");

        Assert.Equal((HttpStatusCode.Redirect, "/org/domains"), (removed.Status, removed.Target));
        var gone = await browser.GetAsync("/org/domains");
        Assert.Equal($"{name} is removed.", gone.Document.QuerySelector("p.status")!.TextContent);
        Assert.Empty(gone.Document.QuerySelectorAll("#domains tbody tr"));
        Assert.False(await server.WithDbAsync(db => db.Domains.AnyAsync(d => d.Id == stored.Id, Ct)));
    }

    [Fact]
    public async Task Verify_names_the_record_when_the_name_has_none_or_another_and_claims_are_checked()
    {
        server.Dns.EnsureAvailable();
        var (member, browser) = await AdminAsync("Domains Errors Org");
        var bare = $"{Label()}.test";
        var wrong = $"{Label()}.test";
        await browser.SubmitAsync("/org/domains", Form(("Name", bare)), "#claim-form");
        await browser.SubmitAsync("/org/domains", Form(("Name", wrong)), "#claim-form");
        var domains = await server.WithDbAsync(db => db.Domains.AsNoTracking().Where(d => d.OrganisationId == member.Id).ToDictionaryAsync(d => d.Name, Ct));
        await server.Dns.AddHostAsync(bare);
        var stale = "bulwark-verification=" + new string('0', 32);
        await server.Dns.AddTxtAsync(wrong, stale);

        var none = await browser.SubmitAsync(await browser.GetAsync("/org/domains"), Form(), $"tr[data-domain='{domains[bare].Id}'] form.verify", "/org/domains");
        var other = await browser.SubmitAsync(await browser.GetAsync("/org/domains"), Form(), $"tr[data-domain='{domains[wrong].Id}'] form.verify", "/org/domains");

        var expected = $"bulwark-verification={domains[bare].VerificationToken}";
        Assert.Equal([$"{bare} has no TXT record yet. Publish one with the value {expected}, then verify again. New records can take a while to appear."], Errors(none));
        Assert.Equal([$"{wrong} has TXT records, but none is bulwark-verification={domains[wrong].VerificationToken}. Found: {stale}"], Errors(other));
        Assert.Equal(["Not verified yet", "Not verified yet"], other.Document.QuerySelectorAll("#domains .state").Select(s => s.TextContent));

        var again = await browser.SubmitAsync("/org/domains", Form(("Name", bare.ToUpperInvariant())), "#claim-form");
        Assert.Equal([$"Your organisation has already claimed {bare}."], Errors(again));
        foreach (var bad in new[] { "https://example.org", "ana@example.org", "not a domain", new string('a', 300) })
        {
            var refused = await browser.SubmitAsync("/org/domains", Form(("Name", bad)), "#claim-form");
            Assert.Equal(HttpStatusCode.OK, refused.Status);
            Assert.Equal(["Enter a domain name such as example.org (without http:// or @)."], Errors(refused));
        }

        Assert.Equal(2, await server.WithDbAsync(db => db.Domains.CountAsync(d => d.OrganisationId == member.Id, Ct)));
    }

    private static async Task<HttpStatusCode> PostAsync(PortalBrowser browser, PortalBrowser.PageResult page, string action, params (string Key, string Value)[] fields)
    {
        var token = page.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var response = await browser.Http.PostAsync(action, new FormUrlEncodedContent([new("__RequestVerificationToken", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))]), Ct);
        return response.StatusCode;
    }

    private async Task<(Member Member, PortalBrowser Browser)> AdminAsync(string name)
    {
        server.EnsureAvailable();
        var member = await server.AdmitAsync(name);
        var admin = $"admin-{Guid.NewGuid():N}@example.org";
        await PortalUsers.CreatePersonAsync(server, member.Id, admin, PersonRole.OrgAdmin, "Olga Admin");
        var browser = new PortalBrowser(server);
        Assert.Equal("/", (await browser.SignInAsync(admin)).Target);
        return (member, browser);
    }
}

public sealed class PortalOrgDomainsSqliteTests(MembershipSqliteServer server) : PortalOrgDomainsTests<MembershipSqliteServer>(server);

public sealed class PortalOrgDomainsPostgresTests(MembershipPostgresServer server) : PortalOrgDomainsTests<MembershipPostgresServer>(server);
