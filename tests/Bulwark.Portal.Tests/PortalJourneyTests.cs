using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Data.Membership;
using Bulwark.Data.Portal;
using Bulwark.Portal.Tests.Support;
using Bulwark.Server.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bulwark.Portal.Tests;

/// <summary>
/// The portal end to end in headless Chromium against the real server: an org admin uploads the sample
/// Exchange server and sees its incidents, an analyst confirms the ProxyLogon incident, and a person of the
/// organisation reads and acknowledges their notice after signing in with a passkey alone.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed partial class PortalJourneyTests(PortalHost host)
{
    /// <summary>The ProxyLogon attacker of the sample tree: its address is the incident's grouping key.</summary>
    private const string Attacker = "130.255.189.21";

    [Fact]
    public async Task An_upload_becomes_an_incident_an_analyst_confirms_and_a_notice_the_person_acknowledges()
    {
        var member = await host.CreateMemberAsync("Parti du Navigateur");
        var (_, admin) = await Seed.PersonAsync(host, member.Id, "camille.durand@parti.example.org", PersonRole.OrgAdmin, "Camille Durand");
        var adminTotp = await Seed.TotpAsync(host, admin);
        var (dana, individual) = await Seed.PersonAsync(host, member.Id, "dana.moreau@parti.example.org", PersonRole.Staff, "Dana Moreau");
        var analyst = await Seed.StaffAsync(host, "analyst.on.duty", PortalRoles.Analyst);
        var pages = new List<string>();

        // (a) The org admin signs in with password and TOTP, uploads the sample tree and sees the incidents.
        await using var adminContext = await host.Chromium.NewContextAsync(host.BaseAddress);
        var adminPage = await adminContext.NewPageAsync();
        await SignIn.WithPasswordAsync(adminPage, admin.UserName!, adminTotp, screenshots: true);
        await UploadSamplesAsync(adminPage, pages);
        var incident = await ProxyLogonIncidentAsync(member);
        await OrgSeesTheIncidentAsync(adminPage, incident, pages);

        // (b) An analyst opens the triage queue and confirms the incident. Dana's personal mailbox saw the same
        // attacker: her finding joins the incident first, so confirming it issues her a notice of her own.
        await Seed.PersonalFindingAsync(host, member.Id, dana.Id, incident.Id, incident.LastSeen);
        await using var analystContext = await host.Chromium.NewContextAsync(host.BaseAddress);
        var analystPage = await analystContext.NewPageAsync();
        await SignIn.WithPasswordAsync(analystPage, analyst.UserName!);
        await AnalystConfirmsAsync(analystPage, incident, pages);

        // (c) Dana adds a passkey, signs out, signs in with the passkey alone, reads and acknowledges her notice.
        await using var danaContext = await host.Chromium.NewContextAsync(host.BaseAddress);
        var danaPage = await danaContext.NewPageAsync();
        var (cdp, authenticator) = await SignIn.VirtualAuthenticatorAsync(danaContext, danaPage);
        await SignIn.WithPasswordAsync(danaPage, individual.UserName!);
        await AddPasskeyAsync(danaPage, "Work laptop", pages);
        var credential = Assert.Single(await SignIn.CredentialsAsync(cdp, authenticator));
        Assert.True(credential.GetProperty("isResidentCredential").GetBoolean());
        Assert.Equal("localhost", credential.GetProperty("rpId").GetString());
        await SignIn.OutAsync(danaPage);
        await SignInWithPasskeyAsync(danaPage);
        await Expect(danaPage.Locator("form.signout .who")).ToHaveTextAsync("Dana Moreau");
        await AcknowledgeNoticeAsync(danaPage, pages);

        // The organisation's own notice is on the incident's page, not acknowledged: Dana's answer is hers.
        await adminPage.GotoAsync($"/org/incidents/{incident.Id}");
        await Expect(adminPage.Locator("#incident-status")).ToContainTextAsync("Confirmed");
        var orgNotices = adminPage.Locator("#notices tbody tr");
        await Expect(orgNotices).ToHaveCountAsync(1);
        await Expect(orgNotices.Locator("td").Nth(2)).ToHaveTextAsync("Not acknowledged");

        await OperatorPagesAsync(pages);
        Assert.Equal(
            ["/org/sources", "/org/sources/uploads", "/org/incidents", "/org/incidents/detail", "/org", "/analyst", "/analyst/incidents/detail",
             "/security", "/me/notices", "/me/notices/detail", "/operator"],
            pages);
    }

    private sealed record IncidentRow(Guid Id, string Title, DateTimeOffset LastSeen);

    private async Task<IncidentRow> ProxyLogonIncidentAsync(Member member)
    {
        var page = await host.As(member.AdminToken).GetFromJsonAsync<JsonElement>("/api/v1/incidents?pageSize=200", BulwarkServer.Json);
        var incident = Assert.Single(page.GetProperty("items").EnumerateArray(), i => i.GetProperty("groupKey").GetString() == Attacker);
        Assert.Equal("Unconfirmed", incident.GetProperty("status").GetString());
        return new IncidentRow(incident.GetProperty("id").GetGuid(), incident.GetProperty("title").GetString()!, incident.GetProperty("lastSeen").GetDateTimeOffset());
    }

    /// <summary>Uploads samples/exchange-server as a zip through the form (with its progress bar) and waits for the scan.</summary>
    private static async Task UploadSamplesAsync(IPage page, List<string> pages)
    {
        await page.GotoAsync("/org/sources");
        await Checked(page, pages, "/org/sources");
        await Expect(page.GetByText("Nothing uploaded yet.")).ToBeVisibleAsync();

        // Chromium reads the file when the form is sent: the folder goes once the upload is in.
        var folder = Directory.CreateTempSubdirectory("bulwark-portal-upload-");
        try
        {
            await page.GetByLabel("Log file or archive").SetInputFilesAsync(Seed.SamplesZip(folder.FullName));
            await page.Locator("#upload-form").GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();

            // The script sends the form with XMLHttpRequest (a progress bar meanwhile), then opens the upload's page.
            try
            {
                await page.WaitForURLAsync(UploadPage(), new() { Timeout = 30_000 });
            }
            catch (TimeoutException)
            {
                Assert.Fail($"the upload did not open its page; the form says: {await page.Locator("#upload-message").InnerTextAsync()}");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        for (var deadline = Environment.TickCount64 + 60_000; ; await Task.Delay(500, TestContext.Current.CancellationToken))
        {
            var status = await page.Locator("#upload-status").InnerTextAsync();
            if (status == "Done")
            {
                break;
            }

            Assert.True(status is "Queued" or "Scanning", $"upload ended {status}: {await page.Locator("main").InnerTextAsync()}");
            Assert.True(Environment.TickCount64 < deadline, "the scan did not finish within 60 s");
            await page.ReloadAsync();
        }

        await Expect(page.Locator("#upload-findings")).ToHaveTextAsync("24");
        await Checked(page, pages, "/org/sources/uploads");
        await Screenshots.TakeAsync(page, "org-upload-done");

        await page.GotoAsync("/org/sources");
        var row = page.Locator("#uploads tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator(".status-cell")).ToHaveTextAsync("Done");
        await Expect(row.Locator(".findings")).ToHaveTextAsync("24");
        await Screenshots.TakeAsync(page, "org-sources");
    }

    private static async Task OrgSeesTheIncidentAsync(IPage page, IncidentRow incident, List<string> pages)
    {
        await page.GotoAsync("/org/incidents");
        var link = page.Locator($"#incidents a[href='/org/incidents/{incident.Id}']");
        await Expect(link).ToHaveTextAsync(incident.Title);
        await Checked(page, pages, "/org/incidents");
        await Screenshots.TakeAsync(page, "org-incidents");

        await link.ClickAsync();
        await page.WaitForURLAsync($"**/org/incidents/{incident.Id}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = incident.Title, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#incident-status")).ToHaveTextAsync("Unconfirmed");
        await Expect(page.GetByText("No notice yet: notices are issued when an analyst confirms the incident.")).ToBeVisibleAsync();
        await Checked(page, pages, "/org/incidents/detail");
        await Screenshots.TakeAsync(page, "org-incident");

        await page.GotoAsync("/org");
        await Expect(page.Locator($"#open-incidents a[href='/org/incidents/{incident.Id}']")).ToHaveTextAsync(incident.Title);
        await Checked(page, pages, "/org");
        await Screenshots.TakeAsync(page, "org-overview");
    }

    private static async Task AnalystConfirmsAsync(IPage page, IncidentRow incident, List<string> pages)
    {
        await page.GotoAsync("/analyst");
        var row = page.Locator($"#queue tr[data-incident='{incident.Id}']");
        await Expect(row.Locator(".organisation")).ToHaveTextAsync("Parti du Navigateur");
        await Checked(page, pages, "/analyst");
        await Screenshots.TakeAsync(page, "analyst-queue");

        await row.Locator(".title a").ClickAsync();
        await page.WaitForURLAsync($"**/analyst/incidents/{incident.Id}");
        await Expect(page.Locator("#status")).ToHaveTextAsync("Unconfirmed");
        await Checked(page, pages, "/analyst/incidents/detail");
        await Screenshots.TakeAsync(page, "analyst-incident");

        await page.GetByLabel("Reason (optional, kept with the decision)").FillAsync("ProxyLogon chain with a web shell; same address on a personal mailbox.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm and send the notices" }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Confirmed");
        await Expect(page.Locator("#decision-reason")).ToHaveTextAsync("ProxyLogon chain with a web shell; same address on a personal mailbox.");
    }

    private static async Task AddPasskeyAsync(IPage page, string name, List<string> pages)
    {
        await page.GotoAsync("/security");
        await Expect(page.GetByText("No passkey yet.")).ToBeVisibleAsync();
        await Checked(page, pages, "/security");
        var add = page.Locator("#passkey-add-form");
        await Expect(add).ToBeVisibleAsync();
        await page.GetByLabel("Name for the new passkey").FillAsync(name);
        await page.Locator("#passkey-add").ClickAsync();
        await Expect(page.Locator("main .status")).ToHaveTextAsync("Passkey added.");
        var row = page.Locator("section[aria-labelledby=passkeys-title] tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td").First).ToHaveTextAsync(name);
        await Screenshots.TakeAsync(page, "security-passkey");
    }

    private static async Task SignInWithPasskeyAsync(IPage page)
    {
        await page.GotoAsync("/account/sign-in");
        var button = page.Locator("#passkey-signin");
        await Expect(button).ToBeVisibleAsync();
        await Expect(button).ToHaveTextAsync("Sign in with a passkey");
        await button.ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal));
    }

    private static async Task AcknowledgeNoticeAsync(IPage page, List<string> pages)
    {
        await page.GotoAsync("/me/notices");
        var row = page.Locator("table.notices tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("New");
        await Expect(page.GetByText("Not yet acknowledged: 1. Open a notice to read what happened and what to do.")).ToBeVisibleAsync();
        await Checked(page, pages, "/me/notices");
        await Screenshots.TakeAsync(page, "my-notices");

        await row.Locator("a").ClickAsync();
        await page.WaitForURLAsync("**/me/notices/detail?id=*");
        await Expect(page.Locator(".unacknowledged")).ToHaveTextAsync("Not acknowledged yet");
        await Expect(page.Locator("#notice-summary li")).ToHaveTextAsync("Suspicious sign-in to a personal mailbox: 1 occurrence");
        await Expect(page.Locator("#notice-summary")).ToContainTextAsync("Only you can see this notice: your organisation is not told about your personal accounts.");
        await Checked(page, pages, "/me/notices/detail");
        await Screenshots.TakeAsync(page, "notice");

        await page.Locator("#acknowledge-form").GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Expect(page.Locator("main .status")).ToHaveTextAsync("Notice acknowledged. Thank you.");
        await Expect(page.Locator(".acknowledged")).ToHaveTextAsync(AcknowledgedOn());
        await Expect(page.Locator("#acknowledge-form")).ToHaveCountAsync(0);
        await Screenshots.TakeAsync(page, "notice-acknowledged");

        await page.GotoAsync("/me/notices");
        await Expect(page.Locator("table.notices tbody tr td").Nth(3)).ToHaveTextAsync("Acknowledged");
        await Expect(page.GetByText("Every notice is acknowledged.")).ToBeVisibleAsync();
    }

    private async Task OperatorPagesAsync(List<string> pages)
    {
        var operatorUser = await Seed.StaffAsync(host, "operator.on.duty", PortalRoles.Operator);
        await using var context = await host.Chromium.NewContextAsync(host.BaseAddress);
        var page = await context.NewPageAsync();
        await SignIn.WithPasswordAsync(page, operatorUser.UserName!);
        await page.GotoAsync("/operator");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await Checked(page, pages, "/operator");
        await Screenshots.TakeAsync(page, "operator");
    }

    /// <summary>The page passes the basic accessibility check; records that it was reached.</summary>
    private static async Task Checked(IPage page, List<string> pages, string name)
    {
        await Accessibility.AssertBasicsAsync(page);
        pages.Add(name);
    }

    private static Regex AcknowledgedOn() => AcknowledgedPattern();

    private static Regex UploadPage() => UploadPagePattern();

    [GeneratedRegex(@"^Acknowledged on \d{1,2} \w+ \d{4}$")]
    private static partial Regex AcknowledgedPattern();

    [GeneratedRegex(@"/org/sources/uploads/[0-9a-f-]{36}$")]
    private static partial Regex UploadPagePattern();
}
