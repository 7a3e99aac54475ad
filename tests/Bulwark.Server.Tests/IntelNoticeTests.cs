using Bulwark.Core.Findings;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Index;
using Bulwark.Data.Incidents;
using Bulwark.Data.Ingestion;
using Bulwark.Data.Notification;
using Bulwark.Server.Ingestion;
using Bulwark.Server.Notification;

namespace Bulwark.Server.Tests;

/// <summary>
/// Who is behind an incident, in notices (notifications.md §2, §6.6): the organisation is told the actor only when
/// the effective TLP of every input allows the member organisation to see it (up to AMBER+STRICT; never RED); an
/// individual is never told a name, at most "a government-backed actor"; an email never carries the actor.
/// </summary>
public sealed class IntelNoticeTests
{
    private static readonly DateTimeOffset At = new(2021, 3, 3, 6, 59, 0, TimeSpan.Zero);

    private static readonly ActorAttribution Hafnium = new("G0125", "HAFNIUM", "CN", 70, Tlp.Green, ["indicator--1"], ["partner-cert"])
    {
        Aliases = ["Operation Exchange Marauder", "Silk Typhoon"],
    };

    private static readonly ActorAttribution Crew = new("intrusion-set--5f3e3e5e-6d3a-4c1e-9d7c-2b8e4f6a1c2d", "Exchange Crew", null, 85, Tlp.Green, ["indicator--2"], ["partner-cert"])
    {
        Aliases = ["Storm-9999"],
    };

    private const string HafniumText = "HAFNIUM (G0125; also known as Operation Exchange Marauder, Silk Typhoon; country CN), intelligence confidence 70/100";

    private static Incident Incident() => new()
    {
        Id = Guid.CreateVersion7(At),
        OrganisationId = Guid.CreateVersion7(At),
        Family = "infrastructure",
        GroupKey = "130.255.189.21",
        Title = "ProxyLogon server-side request forgery (CVE-2021-26855)",
        Severity = Severity.Critical,
        Confidence = Confidence.High,
        FirstSeen = At,
        LastSeen = At,
    };

    private static FindingRecord Finding(Tlp? tlp, params ActorAttribution[] attribution) => new()
    {
        Id = Guid.NewGuid(),
        FindingId = "BW-" + Guid.NewGuid().ToString("N")[..16],
        DetectionId = "exchange.proxylogon.ssrf",
        Title = "ProxyLogon server-side request forgery (CVE-2021-26855)",
        Severity = Severity.Critical,
        Confidence = Confidence.High,
        FirstSeen = At,
        LastSeen = At,
        Subject = "130.255.189.21",
        EvidenceJson = "[]",
        Remediation = "Patch the server.",
        Source = "test",
        Tlp = tlp,
        AttributionJson = FindingRecords.AttributionJson(attribution),
    };

    [Theory]
    [InlineData(Tlp.Clear)]
    [InlineData(Tlp.Green)]
    [InlineData(Tlp.Amber)]
    [InlineData(Tlp.AmberStrict)]
    public void The_organisations_notice_names_the_actor_and_country_up_to_amber_strict(Tlp tlp)
    {
        var notice = NoticeText.ForOrganisation(Incident(), [Finding(tlp, Hafnium with { Tlp = tlp })], sharedAccounts: 0);

        Assert.Equal(HafniumText, notice.Attribution);
        Assert.Contains(
            "\nWho may be behind it: " + HafniumText + ". Threat intelligence suggests this; it does not prove it.\nHow sure we are: ",
            notice.Summary,
            StringComparison.Ordinal);
    }

    [Fact]
    public void The_organisations_notice_shows_the_actor_at_green_and_hides_it_at_red()
    {
        var green = NoticeText.ForOrganisation(Incident(), [Finding(Tlp.Green, Hafnium)], sharedAccounts: 0);
        var red = NoticeText.ForOrganisation(Incident(), [Finding(Tlp.Red, Hafnium)], sharedAccounts: 0);
        var redActor = NoticeText.ForOrganisation(Incident(), [Finding(Tlp.Green, Hafnium with { Tlp = Tlp.Red })], sharedAccounts: 0);

        Assert.Contains("HAFNIUM", green.Summary, StringComparison.Ordinal);
        Assert.Equal(HafniumText, green.Attribution);
        foreach (var hidden in new[] { red, redActor })
        {
            Assert.Null(hidden.Attribution);
            Assert.DoesNotContain("HAFNIUM", hidden.Summary, StringComparison.Ordinal);
            Assert.DoesNotContain("CN", hidden.Summary, StringComparison.Ordinal);
            Assert.DoesNotContain("Who may be behind it", hidden.Summary, StringComparison.Ordinal);
        }

        // The rest of the notice is the same: only the actor line goes.
        Assert.Equal(green.Summary.Replace("Who may be behind it: " + HafniumText + ". Threat intelligence suggests this; it does not prove it.\n", "", StringComparison.Ordinal), red.Summary);
    }

    [Fact]
    public void An_actor_named_by_one_red_input_is_hidden_even_when_another_finding_names_it_at_green()
    {
        var notice = NoticeText.ForOrganisation(Incident(), [Finding(Tlp.Green, Hafnium, Crew), Finding(Tlp.Red, Hafnium)], sharedAccounts: 0);

        Assert.Equal("Exchange Crew (also known as Storm-9999), intelligence confidence 85/100", notice.Attribution);
        Assert.DoesNotContain("HAFNIUM", notice.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_actors_are_named_most_confident_first()
    {
        var notice = NoticeText.ForOrganisation(Incident(), [Finding(Tlp.Green, Hafnium), Finding(Tlp.Green, Crew)], sharedAccounts: 0);

        Assert.Equal("Exchange Crew (also known as Storm-9999), intelligence confidence 85/100; " + HafniumText, notice.Attribution);
    }

    [Theory]
    [InlineData("fr", "Qui pourrait être derrière : HAFNIUM (G0125; aussi appelé Operation Exchange Marauder, Silk Typhoon; pays : CN), confiance du renseignement 70/100. Le renseignement sur les menaces le suggère ; il ne le prouve pas.\n")]
    [InlineData("es", "Quién podría estar detrás: HAFNIUM (G0125; también conocido como Operation Exchange Marauder, Silk Typhoon; país: CN), confianza de la inteligencia 70/100. La inteligencia de amenazas lo sugiere; no lo demuestra.\n")]
    public void The_actor_line_is_written_in_the_organisations_language(string language, string line)
    {
        var notice = NoticeText.ForOrganisation(Incident(), [Finding(Tlp.Green, Hafnium)], sharedAccounts: 0, language);

        Assert.Contains(line, notice.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "a government-backed actor")]
    [InlineData("fr", "un acteur soutenu par un gouvernement")]
    [InlineData("es-MX", "un actor respaldado por un gobierno")]
    public void A_persons_notice_never_names_the_actor_only_a_government_backed_one(string? language, string words)
    {
        var notice = NoticeText.ForPerson(Incident(), [Finding(Tlp.Green, Hafnium, Crew)], organisationMayView: false, language);

        Assert.Equal(words, notice.Attribution);
        foreach (var text in new[] { notice.Title, notice.Summary, notice.Remediation })
        {
            Assert.DoesNotContain("HAFNIUM", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Exchange Crew", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Silk Typhoon", text, StringComparison.Ordinal);
            Assert.DoesNotContain("CN", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_persons_notice_says_nothing_of_an_actor_without_a_country_or_under_red()
    {
        var stateless = NoticeText.ForPerson(Incident(), [Finding(Tlp.Green, Crew)], organisationMayView: true);
        var red = NoticeText.ForPerson(Incident(), [Finding(Tlp.Red, Hafnium)], organisationMayView: true);
        var none = NoticeText.ForPerson(Incident(), [Finding(null)], organisationMayView: true);

        Assert.Null(stateless.Attribution);
        Assert.Null(red.Attribution);
        Assert.Null(none.Attribution);
    }

    [Fact]
    public void A_notice_without_intelligence_has_no_actor_line()
    {
        var notice = NoticeText.ForOrganisation(Incident(), [Finding(null)], sharedAccounts: 0);

        Assert.Null(notice.Attribution);
        Assert.DoesNotContain("Who may be behind it", notice.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void The_email_announcing_a_notice_never_carries_the_actor_whatever_its_tlp()
    {
        var content = NoticeText.ForOrganisation(Incident(), [Finding(Tlp.Clear, Hafnium with { Tlp = Tlp.Clear })], sharedAccounts: 0);
        var notice = new Notice
        {
            Id = Guid.CreateVersion7(At),
            OrganisationId = Guid.CreateVersion7(At),
            IncidentId = Guid.CreateVersion7(At),
            Audience = NoticeAudience.Organisation,
            Title = content.Title,
            Summary = content.Summary,
            Attribution = content.Attribution,
            Remediation = content.Remediation,
            Severity = content.Severity,
            Confidence = content.Confidence,
            CreatedAt = At,
        };
        Assert.Contains("HAFNIUM", notice.Summary, StringComparison.Ordinal);

        var email = NoticeEmail.Create(notice, "soc@example.org", "email:" + notice.Id, EmailTexts.English, escalated: false, new SmtpOptions { From = "notices@bulwark.example" }, At);

        Assert.DoesNotContain("HAFNIUM", email.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("HAFNIUM", email.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("HAFNIUM", email.Subject, StringComparison.Ordinal);
    }
}
