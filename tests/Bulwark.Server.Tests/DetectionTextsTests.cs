using System.Reflection;
using System.Text.RegularExpressions;
using Bulwark.Core.Detection.Exchange;
using Bulwark.Core.Detection.Files;
using Bulwark.Core.Findings;
using Bulwark.Core.Indicators;
using Bulwark.Server.Notification;

namespace Bulwark.Server.Tests;

/// <summary>
/// Every detection's title and remediation is translated into French and Spanish, keeps its CVE ids, KB numbers,
/// paths and commands, and splits into notice steps exactly as the English does.
/// </summary>
public sealed partial class DetectionTextsTests
{
    public static TheoryData<string> Languages => ["fr", "es"];

    private static IEnumerable<string> Titles => Detections.All.Select(d => d.Title).Distinct(StringComparer.Ordinal);

    private static IReadOnlyList<string> Remediations => [.. Detections.All.Select(d => d.Remediation).Distinct(StringComparer.Ordinal)];

    [Fact]
    public void The_list_of_detections_is_complete()
    {
        var all = Detections.All.ToHashSet();
        Assert.Equal(Detections.All.Count, Detections.All.Select(d => d.Id).Distinct(StringComparer.Ordinal).Count());

        var declared = typeof(Detection).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(f => f.FieldType == typeof(Detection))
            .Select(f => (Detection)f.GetValue(null)!)
            .ToList();
        Assert.NotEmpty(declared);
        Assert.All(declared, d => Assert.Contains(d, all));

        var reported = ExchangeLogDetectors.CreateDefault(ExchangeIndicators.BuiltIn).SelectMany(d => d.Detections).Concat(FileDetectors.Detections);
        Assert.All(reported, d => Assert.Contains(d, all));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_title_is_translated(string language)
    {
        Assert.All(Titles, title =>
        {
            var translated = DetectionTexts.Title(title, language);
            Assert.False(string.IsNullOrWhiteSpace(translated));
            Assert.NotEqual(title, translated);
            Assert.Equal(Fragments(title), Fragments(translated));
        });
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Every_remediation_is_translated_with_its_ids_and_commands(string language)
    {
        Assert.All(Remediations, remediation =>
        {
            var translated = DetectionTexts.Remediation(remediation, language);
            Assert.False(string.IsNullOrWhiteSpace(translated));
            Assert.NotEqual(remediation, translated);
            Assert.Equal(Fragments(remediation), Fragments(translated));
        });
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Translated_remediations_split_into_the_same_steps(string language)
    {
        string Tr(string english) => DetectionTexts.Remediation(english, language);

        foreach (var remediation in Remediations)
        {
            Assert.Equal(Sentences(remediation).Length, Sentences(Tr(remediation)).Length);
            Assert.Single(RemediationSteps.From([Tr(remediation)]));
        }

        // Notices drop a sentence another finding already gave: translations must share sentences where the English does.
        foreach (var first in Remediations)
        {
            foreach (var second in Remediations.Where(r => !ReferenceEquals(r, first)))
            {
                var english = RemediationSteps.From([first, second]);
                var translated = RemediationSteps.From([Tr(first), Tr(second)]);
                Assert.Equal(english.Select(s => Sentences(s).Length), translated.Select(s => Sentences(s).Length));
            }
        }

        var worstFirst = Detections.All.OrderByDescending(d => d.Severity).Select(d => d.Remediation).ToList();
        Assert.Equal(
            RemediationSteps.From(worstFirst).Select(s => Sentences(s).Length),
            RemediationSteps.From(worstFirst.Select(Tr)).Select(s => Sentences(s).Length));
    }

    [Theory]
    [InlineData("fr-CA", "fr")]
    [InlineData("FR", "fr")]
    [InlineData("fr-BE", "fr")]
    [InlineData("es-MX", "es")]
    [InlineData("ES_es", "es")]
    public void Regional_tags_get_their_language(string tag, string language)
    {
        var detection = Detections.All[0];
        Assert.Equal(DetectionTexts.Title(detection.Title, language), DetectionTexts.Title(detection.Title, tag));
        Assert.Equal(DetectionTexts.Remediation(detection.Remediation, language), DetectionTexts.Remediation(detection.Remediation, tag));
        Assert.NotEqual(detection.Title, DetectionTexts.Title(detection.Title, tag));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("en")]
    [InlineData("en-GB")]
    [InlineData("de")]
    [InlineData("pt-BR")]
    public void Other_languages_get_the_english_text(string? language)
    {
        foreach (var detection in Detections.All)
        {
            Assert.Equal(detection.Title, DetectionTexts.Title(detection.Title, language));
            Assert.Equal(detection.Remediation, DetectionTexts.Remediation(detection.Remediation, language));
        }
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("es")]
    [InlineData("fr-CA")]
    public void Text_without_a_translation_stays_as_written(string language)
    {
        const string AnalystText = "Call us before changing anything on the server.";
        Assert.Equal(AnalystText, DetectionTexts.Title(AnalystText, language));
        Assert.Equal(AnalystText, DetectionTexts.Remediation(AnalystText, language));
        Assert.Equal("", DetectionTexts.Remediation("", language));
    }

    /// <summary>Sentences as <see cref="RemediationSteps"/> cuts them.</summary>
    private static string[] Sentences(string text) =>
        [.. SentenceEnd().Split(text.Trim()).Select(s => s.Trim()).Where(s => s.Length > 0)];

    /// <summary>What must survive translation verbatim: CVE ids, KB numbers, code, paths, cmdlets and their parameters, file extensions.</summary>
    private static List<string> Fragments(string text) =>
        [.. Fragment().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    // Mirrors RemediationSteps: a sentence ends at '.', '!' or '?' followed by white space and a capital letter.
    [GeneratedRegex(@"(?<=[.!?])\s+(?=\p{Lu})", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(
        @"CVE-\d{4}-\d+|\bKB\d+|`[^`]+`|[\w.<>-]*[\\/][\w.<>\\/-]*|\b[A-Z][a-z]+-(?:<\w+>)?[A-Z][\w<>]*|(?<=\s)-[A-Z]\w+|(?<![\w.])\.[a-z]{2,4}\b|\bSHA-256\b|\bHTTPS?\b|\b\d{3}\b|\bkrbtgt\b",
        RegexOptions.CultureInvariant)]
    private static partial Regex Fragment();
}
