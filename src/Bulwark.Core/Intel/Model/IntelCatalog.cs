namespace Bulwark.Core.Intel.Model;

/// <summary>
/// Everything read from intel sources, before it is indexed: the readers (STIX, MISP, plain lists, TAXII)
/// add to one catalog, and <c>IntelSet</c> is built from it. Objects and indicators are kept at their latest
/// version (highest <c>modified</c>; STIX versions share an id). Not thread-safe.
/// </summary>
public sealed class IntelCatalog
{
    private readonly Dictionary<string, IntelObject> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IntelIndicator> _indicators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IntelRelationship> _relationships = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IntelSource> _sources = new(StringComparer.Ordinal);
    private readonly List<Warninglist> _warninglists = [];
    private readonly List<IntelProblem> _problems = [];
    private readonly List<Index.IocIndicator> _values = [];

    public IReadOnlyCollection<IntelSource> Sources => _sources.Values;

    public IReadOnlyCollection<IntelObject> Objects => _objects.Values;

    public IReadOnlyCollection<IntelIndicator> Indicators => _indicators.Values;

    public IReadOnlyCollection<IntelRelationship> Relationships => _relationships.Values;

    /// <summary>
    /// Bare values from plain lists: no object of their own (no id, relationships or pattern), so a million-line list
    /// costs a few dozen bytes per value instead of an <see cref="IntelIndicator"/> each.
    /// </summary>
    public IReadOnlyList<Index.IocIndicator> Values => _values;

    public IReadOnlyList<Warninglist> Warninglists => _warninglists;

    public IReadOnlyList<IntelProblem> Problems => _problems;

    public void AddSource(IntelSource source) => _sources[source.Id] = source;

    public IntelSource? GetSource(string id) => _sources.GetValueOrDefault(id);

    public IntelObject? GetObject(string id) => _objects.GetValueOrDefault(id);

    public IntelIndicator? GetIndicator(string id) => _indicators.GetValueOrDefault(id);

    /// <summary>Adds an object, or replaces the version held when this one is newer. Returns false when an equal or newer version was kept.</summary>
    public bool Add(IntelObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (_objects.TryGetValue(item.Id, out var held) && !Newer(item.Modified, held.Modified))
        {
            return false;
        }

        _objects[item.Id] = item;
        return true;
    }

    /// <inheritdoc cref="Add(IntelObject)"/>
    public bool Add(IntelIndicator item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (_indicators.TryGetValue(item.Id, out var held) && !Newer(item.Modified, held.Modified))
        {
            return false;
        }

        _indicators[item.Id] = item;
        return true;
    }

    /// <inheritdoc cref="Add(IntelObject)"/>
    public bool Add(IntelRelationship item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (_relationships.TryGetValue(item.Id, out var held) && !Newer(item.Modified, held.Modified))
        {
            return false;
        }

        _relationships[item.Id] = item;
        return true;
    }

    /// <summary>
    /// Drops the bare values once an index holds them (a one-shot scan does not need them twice); a catalog that
    /// will be built again must keep them.
    /// </summary>
    public void ReleaseValues()
    {
        _values.Clear();
        _values.TrimExcess();
    }

    /// <summary>Adds a bare list value (see <see cref="Values"/>).</summary>
    public void Add(Index.IocIndicator value) => _values.Add(value);

    public void Add(Warninglist list)
    {
        ArgumentNullException.ThrowIfNull(list);
        _warninglists.Add(list);
    }

    public void Problem(string file, string where, string message) => _problems.Add(new IntelProblem(file, where, message));

    public void Problem(IntelProblem problem) => _problems.Add(problem);

    /// <summary>A version without <c>modified</c> never replaces one; a later <c>modified</c> always does.</summary>
    private static bool Newer(DateTimeOffset? candidate, DateTimeOffset? held) =>
        candidate is { } c && (held is not { } h || c > h);
}
