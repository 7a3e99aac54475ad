using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Bulwark.Core.Findings;

/// <summary>
/// Collects hits from detectors running on many threads and turns them into findings: one per
/// detection, subject (the attacker address, the file, the request pattern) and occurrence. Hits of the
/// same detection and subject more than <see cref="OccurrenceGap"/> apart are separate occurrences.
/// </summary>
public sealed class FindingCollector
{
    /// <summary>Evidence kept per finding; the true count is always reported.</summary>
    public const int MaxEvidencePerFinding = 1000;

    public static readonly TimeSpan OccurrenceGap = TimeSpan.FromHours(24);

    private readonly ConcurrentDictionary<(string DetectionId, string Subject), Group> _groups = new();
    private long _hits;

    public void Add(Detection detection, string subject, Evidence evidence)
    {
        var group = _groups.GetOrAdd((detection.Id, subject), static (_, d) => new Group(d), detection);
        lock (group)
        {
            group.Evidence.Add(evidence);
        }

        Interlocked.Increment(ref _hits);
    }

    /// <summary>Pieces of evidence added so far (read by progress displays).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Findings ordered by severity (worst first), then first seen, then id.</summary>
    public IReadOnlyList<Finding> Build()
    {
        var findings = new List<Finding>();
        foreach (var ((_, subject), group) in _groups)
        {
            var ordered = group.Evidence
                .OrderBy(e => e.Timestamp ?? DateTimeOffset.MinValue)
                .ThenBy(e => e.File, StringComparer.Ordinal)
                .ThenBy(e => e.Line)
                .ToList();
            var start = 0;
            for (var i = 1; i <= ordered.Count; i++)
            {
                var split = i == ordered.Count
                    || (ordered[i].Timestamp is { } t && ordered[i - 1].Timestamp is { } p && t - p > OccurrenceGap);
                if (!split)
                {
                    continue;
                }

                findings.Add(Create(group.Detection, subject, ordered.GetRange(start, i - start)));
                start = i;
            }
        }

        return findings
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.FirstSeen ?? DateTimeOffset.MinValue)
            .ThenBy(f => f.Id, StringComparer.Ordinal)
            .ToList();
    }

    private static Finding Create(Detection d, string subject, List<Evidence> evidence)
    {
        var stamps = evidence.Where(e => e.Timestamp is not null).Select(e => e.Timestamp!.Value).ToList();
        DateTimeOffset? first = stamps.Count > 0 ? stamps.Min() : null;
        DateTimeOffset? last = stamps.Count > 0 ? stamps.Max() : null;
        var kept = evidence.Count > MaxEvidencePerFinding ? evidence.GetRange(0, MaxEvidencePerFinding) : evidence;
        return new Finding(
            StableId(d.Id, subject, evidence[0]),
            d.Id,
            d.Title,
            d.Severity,
            d.Confidence,
            d.Cves,
            d.Attack,
            first,
            last,
            kept,
            evidence.Count,
            d.Remediation,
            d.Source,
            subject);
    }

    /// <summary>The same occurrence scanned twice gets the same id, so a server can deduplicate.</summary>
    private static string StableId(string detectionId, string subject, Evidence first)
    {
        var key = $"{detectionId}\n{subject}\n{first.File}\n{first.Line}";
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return "BW-" + Convert.ToHexStringLower(hash[..8]);
    }

    private sealed class Group(Detection detection)
    {
        public Detection Detection { get; } = detection;

        public List<Evidence> Evidence { get; } = [];
    }
}
