using System.Collections.Frozen;
using System.Globalization;
using System.Resources;

namespace Bulwark.Server.Notification;

/// <summary>
/// Detection titles and remediation texts in the reader's language. Findings keep the English text Bulwark.Core
/// wrote; this looks it up in <see cref="DetectionText"/>'s resources. A language without translations, or a text
/// without one (an analyst's own wording, the per-build posture texts), stays in English.
/// </summary>
public static class DetectionTexts
{
    private static readonly string[] Translated = ["fr", "es"];

    private static readonly FrozenDictionary<string, FrozenDictionary<string, string>> ByLanguage = Load();

    /// <summary><paramref name="english"/> (a detection's title) in <paramref name="language"/> (e.g. "fr", "es-MX"), or unchanged.</summary>
    public static string Title(string english, string? language) => Translate(english, language);

    /// <summary><paramref name="english"/> (a detection's remediation) in <paramref name="language"/>, or unchanged. Translations end sentences where the English does, so <see cref="Core.Findings.RemediationSteps"/> splits them alike.</summary>
    public static string Remediation(string english, string? language) => Translate(english, language);

    private static string Translate(string english, string? language)
    {
        var primary = Primary(language);
        return primary is not null
            && ByLanguage.TryGetValue(primary, out var texts)
            && texts.TryGetValue(english, out var translated)
            && !string.IsNullOrWhiteSpace(translated)
            ? translated
            : english;
    }

    /// <summary>The primary subtag ("fr-BE" → "fr"), lower case; null when there is none.</summary>
    private static string? Primary(string? language)
    {
        if (string.IsNullOrWhiteSpace(language))
        {
            return null;
        }

        var tag = language.Trim();
        var end = tag.IndexOfAny(['-', '_']);
        return (end < 0 ? tag : tag[..end]).ToLowerInvariant();
    }

    private static FrozenDictionary<string, FrozenDictionary<string, string>> Load()
    {
        var resources = new ResourceManager(typeof(DetectionText).FullName!, typeof(DetectionText).Assembly);
        var languages = new Dictionary<string, FrozenDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var language in Translated)
        {
            // Only the language's own satellite: there is no neutral (English) resource set to fall back to.
            var set = resources.GetResourceSet(CultureInfo.GetCultureInfo(language), createIfNotExists: true, tryParents: false);
            if (set is null)
            {
                continue;
            }

            var texts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (System.Collections.DictionaryEntry entry in set)
            {
                if (entry.Key is string key && entry.Value is string value)
                {
                    texts[key] = value;
                }
            }

            languages[language] = texts.ToFrozenDictionary(StringComparer.Ordinal);
        }

        resources.ReleaseAllResources();
        return languages.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
