using Bulwark.Core.Findings;
using Bulwark.Data.Incidents;
using Bulwark.Data.Ingestion;
using Bulwark.Server.Notification;

namespace Bulwark.Server.Tests;

/// <summary>Notices are written in the reader's language: every sentence of the framing, with dates kept ISO.</summary>
public sealed class NoticeWordsTests
{
    private static readonly DateTimeOffset At = new(2021, 3, 3, 6, 59, 0, TimeSpan.Zero);

    private static Incident Incident() => new()
    {
        Id = Guid.CreateVersion7(At),
        OrganisationId = Guid.CreateVersion7(At),
        Family = "infrastructure",
        GroupKey = "130.255.189.21",
        Title = "Suspicious sign-in",
        Severity = Severity.High,
        Confidence = Confidence.High,
        FirstSeen = At,
        LastSeen = At.AddDays(2),
    };

    private static FindingRecord Finding(Guid? person, DateTimeOffset at) => new()
    {
        Id = Guid.CreateVersion7(at),
        PersonId = person,
        FindingId = "f-" + at.Ticks,
        DetectionId = "identity.sign-in.suspicious",
        Title = "Suspicious sign-in",
        Severity = Severity.High,
        Confidence = Confidence.High,
        FirstSeen = at,
        LastSeen = at,
        Subject = "203.0.113.9",
        EvidenceJson = "[]",
        Remediation = "Change the password.",
        Source = "test",
    };

    [Theory]
    [InlineData("fr", "Votre compte personnel : ", "Ce que nous avons vu : une activité visant un compte personnel que vous avez demandé à Bulwark de surveiller.\n- Suspicious sign-in: 2 occurrences\nQuand : entre le 2021-03-03 et le 2021-03-05.\n")]
    [InlineData("fr-CA", "Votre compte personnel : ", "Ce que nous avons vu : une activité visant un compte personnel que vous avez demandé à Bulwark de surveiller.\n- Suspicious sign-in: 2 occurrences\nQuand : entre le 2021-03-03 et le 2021-03-05.\n")]
    [InlineData("es", "Su cuenta personal: ", "Lo que vimos: actividad contra una cuenta personal que pidió a Bulwark que vigilara.\n- Suspicious sign-in: 2 veces\nCuándo: entre el 2021-03-03 y el 2021-03-05.\n")]
    [InlineData("de", "Your personal account: ", "What we saw: activity against a personal account you asked Bulwark to watch.\n- Suspicious sign-in: 2 occurrences\nWhen: between 2021-03-03 and 2021-03-05.\n")]
    public void A_persons_notice_is_written_in_their_language(string language, string titleStart, string summaryStart)
    {
        var person = Guid.CreateVersion7(At);
        var words = NoticeWords.For(language);

        var notice = NoticeText.ForPerson(Incident(), [Finding(person, At), Finding(person, At.AddDays(2))], organisationMayView: false, language);

        Assert.StartsWith(titleStart, notice.Title, StringComparison.Ordinal);
        Assert.StartsWith(summaryStart, notice.Summary, StringComparison.Ordinal);
        Assert.EndsWith(words.OnlyYou, notice.Summary, StringComparison.Ordinal);
        Assert.Contains(words.HowSure + words.HighConfidence + " " + words.FalseAlarmLine, notice.Summary, StringComparison.Ordinal);
        Assert.EndsWith("2. " + words.PersonHelpLine, notice.Remediation, StringComparison.Ordinal);
    }

    [Fact]
    public void An_organisations_notice_in_French_keeps_exact_UTC_times()
    {
        var notice = NoticeText.ForOrganisation(Incident(), [Finding(null, At)], sharedAccounts: 0, "fr");

        Assert.Equal(
            "Ce que nous avons vu :\n- Suspicious sign-in: 1 occurrence, vu pour la première fois le 2021-03-03 06:59 UTC, vu pour la dernière fois le 2021-03-03 06:59 UTC\n"
            + "Où : dans 1 collecte de journaux des serveurs de votre organisation.\n"
            + "Quand : du 2021-03-03 06:59 UTC au 2021-03-03 06:59 UTC.\n"
            + "Notre degré de certitude : élevé : les éléments correspondent étroitement à cette attaque. " + NoticeWords.French.FalseAlarmLine,
            notice.Summary);
    }

    [Fact]
    public void Every_language_has_every_sentence_and_the_same_placeholders()
    {
        foreach (var words in NoticeWords.All)
        {
            var english = NoticeWords.English;
            foreach (var property in typeof(NoticeWords).GetProperties().Where(p => p.PropertyType == typeof(string) && p.Name != "EqualityContract"))
            {
                var text = (string)property.GetValue(words)!;
                var reference = (string)property.GetValue(english)!;
                Assert.False(string.IsNullOrWhiteSpace(text), $"{words.Language}.{property.Name} is empty");
                Assert.Equal(
                    System.Text.RegularExpressions.Regex.Matches(reference, @"\{\d\}").Select(m => m.Value).Order(),
                    System.Text.RegularExpressions.Regex.Matches(text, @"\{\d\}").Select(m => m.Value).Order());
            }
        }
    }
}
