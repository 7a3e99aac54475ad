using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Intel.Stix;

/// <summary>
/// State of one <see cref="StixReader"/>: where results go, the TLP of every marking definition seen (kept across
/// reads, so TAXII pages can mark objects with definitions from earlier pages), the tallies of the current read,
/// and objects waiting for a marking definition the bundle has not reached yet.
/// </summary>
internal sealed class StixReadContext(IntelSource source, IntelCatalog catalog, StixReadOptions options)
{
    private readonly Dictionary<string, Tlp?> _markings = new(StringComparer.Ordinal);
    private readonly List<(IReadOnlyList<string> Refs, IReadOnlyList<string> Granular, Action<Tlp> Add)> _pending = [];
    private Dictionary<string, int> _taken = new(StringComparer.Ordinal);
    private Dictionary<string, int> _skipped = new(StringComparer.Ordinal);
    private int _problems;
    private int _unindexable;

    public IntelSource Source { get; } = source;

    public IntelCatalog Catalog { get; } = catalog;

    public StixReadOptions Options { get; } = options;

    public string File { get; set; } = "";

    public void Problem(string where, string message)
    {
        _problems++;
        Catalog.Problem(File, where, message);
    }

    public void Took(string type) => _taken[type] = _taken.GetValueOrDefault(type) + 1;

    public void Skipped(string type) => _skipped[type] = _skipped.GetValueOrDefault(type) + 1;

    public void Unindexable() => _unindexable++;

    /// <summary>Records what a marking definition means: a TLP level, or null for any other marking (copyright, statement).</summary>
    public void Marking(string id, Tlp? tlp) => _markings[id] = TlpMarkings.OfId(id) ?? tlp;

    /// <summary>
    /// Adds an object once its TLP is known: the strictest TLP among its object markings (the source's default when
    /// none is a TLP marking), raised to the strictest of <paramref name="granularRefs"/> (TLP granular markings on
    /// what Bulwark keeps of the object; they only ever make it stricter). When a marking is not defined yet (a
    /// bundle may define it after its use), waits for the end of the read.
    /// </summary>
    public void Add(IReadOnlyList<string> markingRefs, IReadOnlyList<string> granularRefs, Action<Tlp> add)
    {
        if (Resolve(markingRefs, granularRefs, final: false) is { } tlp)
        {
            add(tlp);
        }
        else
        {
            _pending.Add((markingRefs, granularRefs, add));
        }
    }

    /// <summary>Adds what waited for markings (undefined ones are not TLP) and returns the tallies, starting new ones.</summary>
    public StixReadResult Finish(bool complete, int objects, string? specVersion)
    {
        foreach (var (refs, granular, add) in _pending)
        {
            add(Resolve(refs, granular, final: true)!.Value);
        }

        _pending.Clear();
        var result = new StixReadResult(_taken, _skipped, _problems, complete)
        {
            Objects = objects,
            SpecVersion = specVersion,
            Unindexable = _unindexable,
        };
        _taken = new(StringComparer.Ordinal);
        _skipped = new(StringComparer.Ordinal);
        _problems = 0;
        _unindexable = 0;
        return result;
    }

    private Tlp? Resolve(IReadOnlyList<string> refs, IReadOnlyList<string> granular, bool final)
    {
        if (!TryStrictest(refs, final, out var marked) || !TryStrictest(granular, final, out var raised))
        {
            return null;
        }

        var tlp = marked ?? Source.DefaultTlp;
        return raised is { } r && r > tlp ? r : tlp;
    }

    /// <summary>The strictest TLP among <paramref name="refs"/> (null when none is TLP); false while one is not defined yet.</summary>
    private bool TryStrictest(IReadOnlyList<string> refs, bool final, out Tlp? max)
    {
        max = null;
        foreach (var id in refs)
        {
            Tlp? level;
            if (TlpMarkings.OfId(id) is { } known)
            {
                level = known;
            }
            else if (_markings.TryGetValue(id, out var defined))
            {
                level = defined;
            }
            else if (final)
            {
                level = null;
            }
            else
            {
                return false;
            }

            if (level is { } l && (max is null || l > max))
            {
                max = l;
            }
        }

        return true;
    }
}
