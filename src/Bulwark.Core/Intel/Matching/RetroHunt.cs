using Bulwark.Core.Findings;
using Bulwark.Core.Intel.Index;

namespace Bulwark.Core.Intel.Matching;

/// <summary>
/// Matches intelligence that arrived after a scan against the evidence kept of its findings (a server keeps findings,
/// not logs): the client address, user agent, requested path, user and referer of a web request (the columns the
/// evidence kept), and a file's path and hashes. Give it one scan's (or one submission's) findings at a time, since
/// evidence places (file, line) are compared within it. A value with no intel finding yet becomes one, with the id a
/// scan would have given it, so running the hunt again adds nothing; every finding whose evidence holds a matched
/// value is attributed, and its confidence raised once (as a scan does). An indicator whose pattern is more than its
/// values (a complex pattern) is confirmed as a scan confirms it, on the one piece of evidence that hit one of its
/// values, by evaluating the pattern on what that evidence kept (<see cref="PatternConfirmer.Confirm(IntelIndicator, Evidence)"/>):
/// a pattern that needs a column the evidence did not keep does not match.
/// </summary>
public sealed class RetroHunt(IntelSet intel, PatternConfirmer? confirmer = null)
{
    // The same lookups as a scan: request columns as the line probe reads them, files as the file detector does.
    private readonly RequestMatcher _requests = new(intel);
    private readonly FileMatcher _files = new(intel);
    private readonly PatternConfirmer _confirmer = confirmer ?? new PatternConfirmer();

    /// <summary>What a hunt found.</summary>
    /// <param name="Found">New intel findings (<see cref="IntelDetections.IndicatorMatch"/>), attributed.</param>
    /// <param name="Attributed">Findings given to the hunt whose attribution, TLP or confidence changed, as they are now.</param>
    public sealed record Result(IReadOnlyList<Finding> Found, IReadOnlyList<Finding> Attributed)
    {
        public static Result None { get; } = new([], []);
    }

    public Result Hunt(IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        if (intel.Index.Count == 0 || findings.Count == 0)
        {
            return Result.None;
        }

        var bySubject = findings.Where(f => f.DetectionId == IntelDetections.IndicatorMatch.Id)
            .GroupBy(f => f.Subject, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var notes = new Dictionary<Finding, Note>(ReferenceEqualityComparer.Instance);
        var collector = new FindingCollector();
        var placed = new HashSet<(string File, long Line, string Value)>();
        var hits = new List<IntelHit>();
        foreach (var finding in findings)
        {
            foreach (var evidence in finding.Evidence)
            {
                hits.Clear();
                Match(evidence, hits);
                foreach (var group in hits
                    .DistinctBy(h => h.EntryId)
                    .Where(h => Applies(h, evidence))
                    .GroupBy(h => intel.Index.GetEntry(h.EntryId).Value, StringComparer.Ordinal))
                {
                    var entries = group.Select(h => intel.Index.GetEntry(h.EntryId)).ToList();
                    // An intel finding is about its own value: another value on its lines belongs to that value's finding.
                    if (finding.DetectionId != IntelDetections.IndicatorMatch.Id || finding.Subject == group.Key)
                    {
                        NoteOf(notes, finding).Add(entries, evidence.Timestamp);
                    }

                    if (bySubject.TryGetValue(group.Key, out var known))
                    {
                        // The value has its intel finding already: it gains the new indicators, nothing is added.
                        foreach (var match in known)
                        {
                            NoteOf(notes, match).Add(entries, evidence.Timestamp);
                        }
                    }
                    else if (placed.Add((evidence.File, evidence.Line, group.Key)))
                    {
                        var fields = new Dictionary<string, string>(evidence.Fields.Where(f => !IntelEvidence.IsIntelField(f.Key)), StringComparer.Ordinal);
                        IntelEvidence.Describe(fields, [.. group], intel, evidence.Timestamp);
                        collector.Add(IntelDetections.IndicatorMatch, group.Key, new Evidence(evidence.File, evidence.Line, evidence.Timestamp, fields));
                    }
                }
            }
        }

        var found = IntelFindings.Enrich(collector.Build(), intel);
        var attributed = new List<Finding>();
        foreach (var finding in findings)
        {
            if (notes.TryGetValue(finding, out var note) && Update(finding, note) is { } updated)
            {
                attributed.Add(updated);
            }
        }

        return new Result(found, attributed);
    }

    private static Note NoteOf(Dictionary<Finding, Note> notes, Finding finding)
    {
        if (!notes.TryGetValue(finding, out var note))
        {
            notes[finding] = note = new Note();
        }

        return note;
    }

    /// <summary>The finding with what the hits add, or null when they add nothing it does not already say.</summary>
    private Finding? Update(Finding finding, Note note)
    {
        var isIntel = finding.DetectionId == IntelDetections.IndicatorMatch.Id;
        var ids = new HashSet<string>(note.Ids, StringComparer.Ordinal);
        ids.UnionWith(finding.Attribution.SelectMany(a => a.IndicatorIds));
        if (isIntel)
        {
            ids.UnionWith(finding.Evidence.SelectMany(IntelEvidence.IndicatorIds));
        }

        // What the finding said stays (a member's own intelligence may know actors this set does not); the same actor
        // found again keeps the stronger reading.
        var derived = intel.Attribute(ids, finding.FirstSeen);
        var merged = finding.Attribution.ToDictionary(a => a.ActorId, StringComparer.Ordinal);
        foreach (var a in derived)
        {
            merged[a.ActorId] = merged.TryGetValue(a.ActorId, out var held) && held.Confidence > a.Confidence
                ? held with { IndicatorIds = [.. held.IndicatorIds.Union(a.IndicatorIds, StringComparer.Ordinal).Order(StringComparer.Ordinal)] }
                : a;
        }

        var attribution = merged.Values.OrderByDescending(a => a.Confidence).ThenBy(a => a.ActorId, StringComparer.Ordinal).ToList();
        var tlp = attribution.Aggregate(Max(finding.Tlp ?? Tlp.Clear, note.Tlp), (t, a) => Max(t, a.Tlp));
        Confidence confidence;
        if (isIntel)
        {
            var level = IntelSet.ToLevel(Math.Max(note.Confidence, attribution.Count > 0 ? attribution[0].Confidence : 0));
            confidence = level > finding.Confidence ? level : finding.Confidence;
        }
        else
        {
            // Raised once, when intelligence first touches the finding (a scan's enrichment does the same).
            confidence = finding.Tlp is null && finding.Confidence < Confidence.High ? finding.Confidence + 1 : finding.Confidence;
        }

        var same = finding.Tlp == tlp && finding.Confidence == confidence && finding.Attribution.Count == attribution.Count
            && finding.Attribution.Zip(attribution).All(p => Same(p.First, p.Second));
        return same ? null : finding with { Attribution = attribution, Tlp = tlp, Confidence = confidence };
    }

    private static bool Same(ActorAttribution a, ActorAttribution b) =>
        a.ActorId == b.ActorId && a.Confidence == b.Confidence && a.Tlp == b.Tlp && a.Country == b.Country
        && a.IndicatorIds.SequenceEqual(b.IndicatorIds, StringComparer.Ordinal) && a.Sources.SequenceEqual(b.Sources, StringComparer.Ordinal);

    /// <summary>
    /// True when a hit counts at the evidence's time: within the entry's validity and, for a complex pattern, confirmed
    /// on this evidence (as a scan confirms it on the event that hit).
    /// </summary>
    private bool Applies(IntelHit hit, Evidence evidence) =>
        intel.Applies(hit.EntryId, evidence.Timestamp)
        && (intel.IndicatorOf(hit.EntryId) is not { Complex: true } indicator || _confirmer.Confirm(indicator, evidence));

    /// <summary>Every index entry one piece of kept evidence hits, named by the field it was seen in.</summary>
    private void Match(Evidence evidence, List<IntelHit> hits)
    {
        var fields = evidence.Fields;
        // Every request column the scan matches (client, user agent, path, user, referer), named as the log it was
        // kept from names it; IIS writes spaces in headers as '+'.
        if (PatternConfirmer.RequestKind(fields) is { } kind)
        {
            var iis = kind == Sources.LogKind.Iis;
            var names = iis ? RequestFields.Iis : RequestFields.HttpProxy;
            for (var field = 0; field < RequestFields.Count; field++)
            {
                if (_requests.Wants(field) && fields.TryGetValue(names[field], out var value))
                {
                    _requests.Match(field, value, plusIsSpace: iis, names[field], hits);
                }
            }
        }

        _files.Match(
            fields.GetValueOrDefault("path", "").Replace('\\', '/'),
            fields.GetValueOrDefault("sha256"),
            fields.GetValueOrDefault("md5"),
            fields.GetValueOrDefault("sha1"),
            hits);
    }

    private static Tlp Max(Tlp a, Tlp b) => a > b ? a : b;

    /// <summary>What the hits on one finding's evidence add up to.</summary>
    private sealed class Note
    {
        public HashSet<string> Ids { get; } = new(StringComparer.Ordinal);

        public Tlp Tlp { get; private set; } = Tlp.Clear;

        public int Confidence { get; private set; }

        public void Add(List<IocEntry> entries, DateTimeOffset? at)
        {
            foreach (var entry in entries)
            {
                if (entry.Reference is { } id)
                {
                    Ids.Add(id);
                }

                Tlp = Max(Tlp, entry.Tlp);
                Confidence = Math.Max(Confidence, IntelSet.AgedConfidence(entry.Confidence, entry.ValidFrom, entry.ValidUntil, at));
            }
        }
    }
}
