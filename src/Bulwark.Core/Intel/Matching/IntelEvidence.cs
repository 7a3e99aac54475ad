using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Intel.Matching;

/// <summary>The evidence fields an intel hit adds, read back when findings are attributed.</summary>
public static class IntelEvidence
{
    /// <summary>The indicator, as <c>kind value</c>.</summary>
    public const string Indicator = "intel indicator";

    /// <summary>The indicator's id (STIX id, MISP attribute) that attribution starts from.</summary>
    public const string IndicatorId = "intel indicator id";

    /// <summary>The source, its TLP and the indicator's confidence.</summary>
    public const string Source = "intel source";

    /// <summary>The strongest confidence (0–100) of the matched entries, aged to the time of the evidence.</summary>
    public const string Confidence = "intel confidence";

    /// <summary>The strictest TLP of the matched entries.</summary>
    public const string Tlp = "intel tlp";

    /// <summary>Where the value was seen, when not obvious from the line.</summary>
    public const string SeenIn = "intel seen in";

    public static string Subject(IocEntry entry) => entry.Value;

    /// <summary>True for the fields intel matching adds to evidence (all named <c>intel …</c>), as opposed to the log's own.</summary>
    public static bool IsIntelField(string name) => name.StartsWith("intel ", StringComparison.Ordinal);

    /// <summary>Separates several indicator ids (or sources) in one evidence field.</summary>
    public const string Separator = "; ";

    /// <summary>The indicator ids an evidence names.</summary>
    public static IEnumerable<string> IndicatorIds(Findings.Evidence evidence) =>
        evidence.Fields.TryGetValue(IndicatorId, out var ids) ? ids.Split(Separator, StringSplitOptions.RemoveEmptyEntries) : [];

    /// <summary>
    /// Reports hits as <see cref="IntelDetections.IndicatorMatch"/> findings whose subject is the value: several sources
    /// may list one value, so one piece of evidence per value and place (from <paramref name="evidenceFor"/>, with
    /// its own fields) names every indicator. Shared by the scan's log, text and file detectors.
    /// </summary>
    internal static void Report(
        IEnumerable<IntelHit> hits, IntelSet intel, DateTimeOffset? at, Findings.FindingCollector findings, Func<IGrouping<string, IntelHit>, Findings.Evidence> evidenceFor)
    {
        foreach (var group in hits.GroupBy(h => intel.Index.GetEntry(h.EntryId).Value, StringComparer.Ordinal))
        {
            var evidence = evidenceFor(group);
            Describe((Dictionary<string, string>)evidence.Fields, [.. group], intel, at);
            findings.Add(IntelDetections.IndicatorMatch, group.Key, evidence);
        }
    }

    /// <summary>Fills the intel fields for hits that all share one value.</summary>
    internal static void Describe(Dictionary<string, string> fields, IReadOnlyList<IntelHit> hits, IntelSet intel, DateTimeOffset? at)
    {
        var entries = hits.Select(h => intel.Index.GetEntry(h.EntryId)).DistinctBy(e => e.Id).ToList();
        var first = entries[0];
        fields[Indicator] = $"{KindText(first.Kind)} {first.Value}";
        fields[Confidence] = entries.Max(e => IntelSet.AgedConfidence(e.Confidence, e.ValidFrom, e.ValidUntil, at)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        fields[Tlp] = TlpText(entries.Max(e => e.Tlp));
        var references = entries.Select(e => e.Reference).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (references.Count > 0)
        {
            fields[IndicatorId] = string.Join(Separator, references);
        }

        fields[Source] = string.Join(Separator, entries.Select(entry =>
        {
            var title = intel.Catalog.GetSource(entry.Source)?.Title;
            var name = entry.Reference is { } r ? intel.Catalog.GetIndicator(r)?.Name : null;
            return $"{(title is null ? entry.Source : $"{title} ({entry.Source})")}, TLP:{TlpText(entry.Tlp)}, confidence {entry.Confidence}"
                + (name is { Length: > 0 } ? $", \"{name}\"" : "");
        }).Distinct(StringComparer.Ordinal));
        var seenIn = hits.Select(h => h.Field).Where(f => f.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (seenIn.Count > 0)
        {
            fields[SeenIn] = string.Join(Separator, seenIn);
        }
    }

    public static string KindText(IocKind kind) => kind switch
    {
        IocKind.IPv4 or IocKind.IPv6 => "address",
        IocKind.CidrV4 or IocKind.CidrV6 => "network",
        IocKind.Domain => "domain",
        IocKind.Url => "url",
        IocKind.Email => "email",
        IocKind.Md5 => "md5",
        IocKind.Sha1 => "sha1",
        IocKind.Sha256 => "sha256",
        IocKind.UserAgent => "user-agent",
        IocKind.FileName => "file-name",
        IocKind.FilePath => "file-path",
        _ => kind.ToString(),
    };

    public static string TlpText(Index.Tlp tlp) => tlp switch
    {
        Index.Tlp.Clear => "CLEAR",
        Index.Tlp.Green => "GREEN",
        Index.Tlp.Amber => "AMBER",
        Index.Tlp.AmberStrict => "AMBER+STRICT",
        Index.Tlp.Red => "RED",
        _ => tlp.ToString(),
    };

    /// <summary>Reads back <see cref="TlpText"/>.</summary>
    public static Index.Tlp? ParseTlp(string text) => text switch
    {
        "CLEAR" => Index.Tlp.Clear,
        "GREEN" => Index.Tlp.Green,
        "AMBER" => Index.Tlp.Amber,
        "AMBER+STRICT" => Index.Tlp.AmberStrict,
        "RED" => Index.Tlp.Red,
        _ => null,
    };
}
