using Bulwark.Core.Findings;
using Bulwark.Core.Intel.Index;

namespace Bulwark.Core.Intel.Matching;

/// <summary>
/// After a scan: intel findings get their actors and a confidence from the indicators (aged to the time of the
/// activity), and every other finding that shares a log line or file with an intel hit is attributed too and its
/// confidence raised one level (issue 5 item 7: "raises an existing finding's confidence and attributes it").
/// </summary>
public static class IntelFindings
{
    public static IReadOnlyList<Finding> Enrich(IReadOnlyList<Finding> findings, IntelSet intel)
    {
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(intel);

        // (file, line) of every intel hit → the indicator ids and the TLP of what matched there.
        var byPlace = new Dictionary<(string File, long Line), (HashSet<string> Ids, Tlp Tlp)>();
        var result = new List<Finding>(findings.Count);
        var enriched = new Dictionary<Finding, Finding>(ReferenceEqualityComparer.Instance);
        foreach (var finding in findings.Where(f => f.DetectionId == IntelDetections.IndicatorMatch.Id))
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var tlp = Tlp.Clear;
            var confidence = 0;
            foreach (var evidence in finding.Evidence)
            {
                var here = IntelEvidence.ParseTlp(evidence.Fields.GetValueOrDefault(IntelEvidence.Tlp, "")) ?? Tlp.Amber;
                tlp = Max(tlp, here);
                if (int.TryParse(evidence.Fields.GetValueOrDefault(IntelEvidence.Confidence), System.Globalization.CultureInfo.InvariantCulture, out var stated))
                {
                    confidence = Math.Max(confidence, stated);
                }

                var place = (evidence.File, evidence.Line);
                if (!byPlace.TryGetValue(place, out var seen))
                {
                    byPlace[place] = seen = (new HashSet<string>(StringComparer.Ordinal), Tlp.Clear);
                }

                byPlace[place] = (seen.Ids, Max(seen.Tlp, here));
                foreach (var id in IntelEvidence.IndicatorIds(evidence))
                {
                    if (intel.Catalog.GetIndicator(id) is not null)
                    {
                        ids.Add(id);
                        seen.Ids.Add(id);
                    }
                }
            }

            var attribution = intel.Attribute(ids, finding.FirstSeen);
            var strictest = attribution.Aggregate(tlp, (t, a) => Max(t, a.Tlp));
            var level = IntelSet.ToLevel(Math.Max(confidence, attribution.Count > 0 ? attribution[0].Confidence : 0));
            enriched[finding] = finding with { Confidence = level, Attribution = attribution, Tlp = strictest };
        }

        foreach (var finding in findings)
        {
            if (enriched.TryGetValue(finding, out var done))
            {
                result.Add(done);
                continue;
            }

            var ids = new HashSet<string>(StringComparer.Ordinal);
            Tlp? tlp = null;
            foreach (var evidence in finding.Evidence)
            {
                if (byPlace.TryGetValue((evidence.File, evidence.Line), out var hit))
                {
                    ids.UnionWith(hit.Ids);
                    tlp = tlp is { } t ? Max(t, hit.Tlp) : hit.Tlp;
                }
            }

            if (tlp is not { } strictest)
            {
                result.Add(finding);
                continue;
            }

            var attribution = intel.Attribute(ids, finding.FirstSeen);
            result.Add(finding with
            {
                Confidence = finding.Confidence == Confidence.High ? Confidence.High : finding.Confidence + 1,
                Attribution = attribution,
                Tlp = attribution.Aggregate(strictest, (t, a) => Max(t, a.Tlp)),
            });
        }

        return result;
    }

    private static Tlp Max(Tlp a, Tlp b) => a > b ? a : b;
}
