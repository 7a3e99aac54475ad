using System.Collections.Frozen;
using Bulwark.Core.Detection.Files;
using Bulwark.Core.Findings;
using Bulwark.Core.Intel.Actors;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Intel;

/// <summary>
/// Intelligence ready for matching: the IOC index over every usable indicator value, the actors, and the
/// attribution graph of a catalog. Immutable and thread-safe; rebuild from the catalog and swap to refresh.
/// Revoked indicators and values a warninglist covers are left out (and counted).
/// </summary>
public sealed class IntelSet
{
    /// <summary>Activity this long before an indicator's validity starts still counts fully (infrastructure is used before it is published).</summary>
    public static readonly TimeSpan LeadTime = TimeSpan.FromDays(90);

    /// <summary>Validity assumed for an indicator without <c>valid_until</c>, for ageing its confidence.</summary>
    public static readonly TimeSpan AssumedValidity = TimeSpan.FromDays(365);

    private static readonly FrozenDictionary<string, int[]> NoPaths = FrozenDictionary<string, int[]>.Empty;

    private readonly FrozenDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _webPaths;
    private readonly FrozenDictionary<string, IntelRelationship[]> _outgoing;

    private IntelSet(IntelCatalog catalog, IocIndex index, ActorRegistry actors, FrozenDictionary<string, int[]> webPaths, FrozenDictionary<string, IntelRelationship[]> outgoing)
    {
        Catalog = catalog;
        Index = index;
        Actors = actors;
        WebPathCount = webPaths.Count;
        _webPaths = webPaths.GetAlternateLookup<ReadOnlySpan<char>>();
        _outgoing = outgoing;
    }

    public static IntelSet Empty { get; } = Build(new IntelCatalog());

    public IntelCatalog Catalog { get; }

    public IocIndex Index { get; }

    public ActorRegistry Actors { get; }

    /// <summary>Indicators left out because they are revoked.</summary>
    public int RevokedIndicators { get; private init; }

    /// <summary>Values the index refused (malformed), with the reason.</summary>
    public IReadOnlyList<IntelProblem> Rejected { get; private init; } = [];

    /// <summary>Values left out because a warninglist covers them: (value, indicator id or list source, list name).</summary>
    public IReadOnlyList<(IndexValue Value, string Indicator, string List)> Suppressed { get; private init; } = [];

    /// <summary>Distinct site-relative web paths derived from file-path indicators under a web root.</summary>
    public int WebPathCount { get; }

    /// <param name="catalog">What the readers took in.</param>
    /// <param name="covered">Answers the warninglist name covering a value, or null (see the MISP warninglist filter).</param>
    public static IntelSet Build(IntelCatalog catalog, Func<IocKind, string, string?>? covered = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var indicators = catalog.Indicators.OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
        var builder = new IocIndexBuilder(indicators.Sum(i => i.Values.Count) + catalog.Values.Count);
        var rejected = new List<IntelProblem>();
        var suppressed = new List<(IndexValue, string, string)>();
        var webPaths = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        var revoked = 0;
        foreach (var indicator in indicators)
        {
            if (indicator.Revoked)
            {
                revoked++;
                continue;
            }

            foreach (var value in indicator.Values)
            {
                if (covered?.Invoke(value.Kind, value.Value) is { } list)
                {
                    suppressed.Add((new IndexValue(value.Kind, value.Value), indicator.Id, list));
                    continue;
                }

                var result = builder.TryAdd(value with { Reference = indicator.Id });
                if (!result.Added)
                {
                    rejected.Add(new IntelProblem(catalog.GetSource(indicator.Source)?.Location ?? indicator.Source, indicator.Id, result.Error!));
                    continue;
                }

                AddWebPath(webPaths, value, result.EntryId);
            }
        }

        foreach (var value in catalog.Values)
        {
            if (covered?.Invoke(value.Kind, value.Value) is { } list)
            {
                suppressed.Add((new IndexValue(value.Kind, value.Value), value.Source, list));
                continue;
            }

            var result = builder.TryAdd(value);
            if (!result.Added)
            {
                rejected.Add(new IntelProblem(catalog.GetSource(value.Source)?.Location ?? value.Source, "", result.Error!));
            }
            else
            {
                AddWebPath(webPaths, value, result.EntryId);
            }
        }

        var outgoing = catalog.Relationships
            .Where(r => !r.Revoked)
            .GroupBy(r => r.SourceRef, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(r => r.Id, StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        return new IntelSet(
            catalog,
            builder.Build(),
            ActorRegistry.Build(catalog),
            webPaths.Count == 0 ? NoPaths : webPaths.ToFrozenDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.OrdinalIgnoreCase),
            outgoing)
        {
            RevokedIndicators = revoked,
            Rejected = rejected,
            Suppressed = suppressed,
        };
    }

    /// <summary>A file-path indicator under a web root is also matched by its site path (<c>/owa/auth/x.aspx</c>) in web logs.</summary>
    private static void AddWebPath(Dictionary<string, List<int>> webPaths, IocIndicator value, int entryId)
    {
        if (value.Kind != IocKind.FilePath || !WebPath.TryParse(value.Value.Replace('\\', '/'), out var web))
        {
            return;
        }

        var key = "/" + web.Relative;
        if (!webPaths.TryGetValue(key, out var ids))
        {
            webPaths[key] = ids = [];
        }

        ids.Add(entryId);
    }

    /// <summary>Entries of file-path indicators whose path under a web root is <paramref name="sitePath"/> (<c>/owa/auth/x.aspx</c>).</summary>
    public ReadOnlySpan<int> MatchWebPath(ReadOnlySpan<char> sitePath) =>
        WebPathCount > 0 && _webPaths.TryGetValue(sitePath, out var ids) ? ids : [];

    /// <summary>
    /// Every entry a free-form value hits, whatever it is (for "what is known about X" queries): its form decides
    /// the lookups — an address (exact and networks), URL, e-mail address, hash, domain (also as a file name), or else
    /// a user agent, file path or file name, or the site path of a web-shell path indicator. Defanged values should be
    /// refanged first (<see cref="Lists.PlainList.Refang"/>).
    /// </summary>
    public IReadOnlyList<int> Find(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var ids = new List<int>();
        switch (Lists.PlainList.Classify(value))
        {
            case IocKind.IPv4 or IocKind.IPv6:
                AddAll(ids, Index.Match(value));
                break;
            case IocKind.Url:
                AddAll(ids, Index.MatchUrl(value));
                break;
            case IocKind.Email:
                AddAll(ids, Index.MatchEmail(value));
                break;
            case IocKind.Md5 or IocKind.Sha1 or IocKind.Sha256:
                AddAll(ids, Index.MatchHash(value));
                break;
            case IocKind.Domain:
                AddAll(ids, Index.MatchDomain(value));
                AddAll(ids, Index.MatchFileName(value));
                break;
            default:
                AddAll(ids, Index.MatchUserAgent(value));
                AddAll(ids, Index.MatchFilePath(value));
                AddAll(ids, Index.MatchFileName(value));
                ids.AddRange(MatchWebPath(value.Replace('\\', '/')));
                break;
        }

        return [.. ids.Distinct()];

        static void AddAll(List<int> ids, IocMatches matches)
        {
            foreach (var id in matches)
            {
                ids.Add(id);
            }
        }
    }

    /// <summary>The indicator an index entry belongs to.</summary>
    public IntelIndicator? IndicatorOf(int entryId) =>
        Index.GetReference(entryId) is { } id ? Catalog.GetIndicator(id) : null;

    /// <summary>
    /// True when an entry may match activity seen at <paramref name="at"/>: before its <c>valid_until</c>. Activity
    /// before <c>valid_from</c> still matches (attackers use infrastructure before anyone publishes it); its
    /// confidence is aged instead (<see cref="AgedConfidence"/>).
    /// </summary>
    public bool Applies(int entryId, DateTimeOffset? at) =>
        at is not { } t || Index.IsBeforeEnd(entryId, t);

    /// <summary>
    /// The indicator's confidence for activity at <paramref name="at"/>: full from <see cref="LeadTime"/> before its
    /// validity to its end (<see cref="AssumedValidity"/> after the start when it has none), halving for every year
    /// further away.
    /// </summary>
    public static int AgedConfidence(int confidence, DateTimeOffset? validFrom, DateTimeOffset? validUntil, DateTimeOffset? at)
    {
        if (at is not { } t || validFrom is not { } from)
        {
            return confidence;
        }

        var start = from - LeadTime;
        var end = validUntil ?? from + AssumedValidity;
        var distance = t < start ? start - t : t > end ? t - end : TimeSpan.Zero;
        return (int)Math.Round(confidence * Math.Pow(0.5, distance.TotalDays / 365.25), MidpointRounding.AwayFromZero);
    }

    /// <summary>Maps 0–100 to Bulwark's three levels: 70 and up high, 40 and up medium, else low.</summary>
    public static Confidence ToLevel(int confidence) => confidence >= 70 ? Confidence.High : confidence >= 40 ? Confidence.Medium : Confidence.Low;

    /// <summary>
    /// The actors behind <paramref name="indicatorIds"/> for activity at <paramref name="at"/>, most confident first:
    /// indicator → <c>indicates</c> → intrusion set / threat actor, or → campaign → <c>attributed-to</c> → actor.
    /// Several indicators reaching one actor keep the highest confidence; TLP is the strictest of all used.
    /// </summary>
    public IReadOnlyList<ActorAttribution> Attribute(IEnumerable<string> indicatorIds, DateTimeOffset? at)
    {
        ArgumentNullException.ThrowIfNull(indicatorIds);
        var found = new Dictionary<string, (Actor Actor, int Confidence, Tlp Tlp, SortedSet<string> Indicators, SortedSet<string> Sources)>(StringComparer.Ordinal);
        foreach (var id in indicatorIds.Distinct(StringComparer.Ordinal))
        {
            if (Catalog.GetIndicator(id) is not { Revoked: false } indicator)
            {
                continue;
            }

            var aged = AgedConfidence(indicator.Confidence, indicator.ValidFrom, indicator.ValidUntil, at);
            foreach (var (actor, confidence, tlp, sources) in Reach(indicator, aged))
            {
                if (found.TryGetValue(actor.Id, out var seen))
                {
                    seen.Indicators.Add(indicator.Id);
                    seen.Sources.UnionWith(sources);
                    found[actor.Id] = (actor, Math.Max(seen.Confidence, confidence), (Tlp)Math.Max((byte)seen.Tlp, (byte)tlp), seen.Indicators, seen.Sources);
                }
                else
                {
                    found[actor.Id] = (actor, confidence, tlp, new SortedSet<string>(StringComparer.Ordinal) { indicator.Id }, new SortedSet<string>(sources, StringComparer.Ordinal));
                }
            }
        }

        return found.Values
            .Select(f => new ActorAttribution(f.Actor.Id, f.Actor.Name, f.Actor.Country, f.Confidence, f.Tlp, [.. f.Indicators], [.. f.Sources]) { Aliases = f.Actor.Aliases })
            .OrderByDescending(a => a.Confidence)
            .ThenBy(a => a.ActorId, StringComparer.Ordinal)
            .ToList();
    }

    private IEnumerable<(Actor Actor, int Confidence, Tlp Tlp, string[] Sources)> Reach(IntelIndicator indicator, int confidence)
    {
        foreach (var r in Outgoing(indicator.Id).Where(r => r.Type == IntelRelationship.Indicates))
        {
            var step = Scale(confidence, r.Confidence);
            var tlp = Max(indicator.Tlp, r.Tlp);
            if (Actors.ForObject(r.TargetRef) is { } actor)
            {
                yield return (actor, step, Max(tlp, ObjectTlp(r.TargetRef)), [indicator.Source, r.Source]);
                continue;
            }

            if (Catalog.GetObject(r.TargetRef) is { Type: "campaign" } campaign)
            {
                foreach (var a in Outgoing(campaign.Id).Where(a => a.Type == IntelRelationship.AttributedTo))
                {
                    if (Actors.ForObject(a.TargetRef) is { } byCampaign)
                    {
                        yield return (byCampaign, Scale(step, a.Confidence), Max(Max(tlp, campaign.Tlp), Max(a.Tlp, ObjectTlp(a.TargetRef))), [indicator.Source, r.Source, a.Source]);
                    }
                }
            }
        }
    }

    private IntelRelationship[] Outgoing(string id) => _outgoing.GetValueOrDefault(id) ?? [];

    private Tlp ObjectTlp(string id) => Catalog.GetObject(id)?.Tlp ?? Tlp.Clear;

    private static int Scale(int confidence, int? relationship) =>
        relationship is { } r ? (int)Math.Round(confidence * Math.Clamp(r, 0, 100) / 100.0, MidpointRounding.AwayFromZero) : confidence;

    private static Tlp Max(Tlp a, Tlp b) => a > b ? a : b;
}
