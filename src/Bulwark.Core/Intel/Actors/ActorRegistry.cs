using System.Collections.Frozen;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Intel.Actors;

/// <summary>
/// The actors of a catalog (intel.md §4–5.3): intrusion sets and threat actors from STIX (ATT&amp;CK included) and
/// MISP galaxy clusters, merged into one <see cref="Actor"/> per group. Objects are merged when they share an
/// ATT&amp;CK id, when one is <c>revoked-by</c> or <c>attributed-to</c> the other, and when an object without an
/// ATT&amp;CK id has a name or alias that belongs to exactly one group (so the galaxy's <c>Silk Typhoon</c>
/// joins HAFNIUM, G0125). A name shared by several groups never merges and resolves to all of them.
/// </summary>
public sealed class ActorRegistry
{
    private static readonly FrozenDictionary<string, string> WeatherFamilies = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Typhoon"] = "CN",
        ["Blizzard"] = "RU",
        ["Sandstorm"] = "IR",
        ["Sleet"] = "KP",
        ["Cyclone"] = "VN",
        ["Rain"] = "LB",
        ["Dust"] = "TR",
        ["Hail"] = "KR",
        ["Gust"] = "AE",
        ["Squall"] = "SG",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> ActorTypes = new(StringComparer.Ordinal) { "intrusion-set", "threat-actor" };

    private readonly FrozenDictionary<string, Actor> _byObject;
    private readonly FrozenDictionary<string, Actor[]> _byName;
    private readonly FrozenDictionary<string, Actor> _byId;

    private ActorRegistry(List<Actor> actors, Dictionary<string, Actor> byObject, Dictionary<string, Actor[]> byName)
    {
        All = actors;
        _byObject = byObject.ToFrozenDictionary(StringComparer.Ordinal);
        _byName = byName.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _byId = actors.ToFrozenDictionary(a => a.Id, StringComparer.OrdinalIgnoreCase);
    }

    public static ActorRegistry Empty { get; } = Build(new IntelCatalog());

    /// <summary>Objects whose names belong to several ATT&amp;CK groups: kept as actors of their own, for an analyst to decide.</summary>
    public IReadOnlyList<AmbiguousObject> Ambiguous { get; private init; } = [];

    /// <summary>Every actor, ordered by name.</summary>
    public IReadOnlyList<Actor> All { get; }

    /// <summary>The actor a catalog object (intrusion set, threat actor, galaxy cluster) belongs to, revocations followed.</summary>
    public Actor? ForObject(string objectId) => _byObject.GetValueOrDefault(objectId);

    /// <summary>The actor with this <see cref="Actor.Id"/> (e.g. <c>G0125</c>).</summary>
    public Actor? Get(string id) => _byId.GetValueOrDefault(id);

    /// <summary>
    /// Actors known by <paramref name="nameOrId"/>: a name or alias (case-insensitive), an ATT&amp;CK id, a STIX id or
    /// a galaxy cluster id. More than one result means the name is shared; none means unknown.
    /// </summary>
    public IReadOnlyList<Actor> Resolve(string nameOrId)
    {
        ArgumentNullException.ThrowIfNull(nameOrId);
        var key = nameOrId.Trim();
        if (_byObject.TryGetValue(key, out var byObject))
        {
            return [byObject];
        }

        if (_byId.TryGetValue(key, out var byId))
        {
            return [byId];
        }

        return _byName.TryGetValue(key, out var named) ? named : [];
    }

    /// <summary>Country of a Microsoft weather name (<c>Silk Typhoon</c> → CN), or null.</summary>
    public static string? WeatherCountry(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var space = name.TrimEnd().LastIndexOf(' ');
        return space > 0 && WeatherFamilies.TryGetValue(name[(space + 1)..].Trim(), out var country) ? country : null;
    }

    public static ActorRegistry Build(IntelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var nodes = catalog.Objects
            .Where(o => ActorTypes.Contains(o.Type))
            .OrderBy(o => o.Id, StringComparer.Ordinal)
            .ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            index[nodes[i].Id] = i;
        }

        var sets = new DisjointSets(nodes.Count);
        for (var i = 0; i < nodes.Count; i++)
        {
            sets.SetFlag(i, AttackIds(nodes[i]).Any());
        }

        // 1. Stable ids: a shared ATT&CK id, revocation and attribution.
        var byAttackId = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < nodes.Count; i++)
        {
            foreach (var attackId in AttackIds(nodes[i]))
            {
                if (byAttackId.TryGetValue(attackId, out var other))
                {
                    sets.Union(i, other);
                }
                else
                {
                    byAttackId[attackId] = i;
                }
            }
        }

        foreach (var r in catalog.Relationships.OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            if (r.Revoked || r.Type is not (IntelRelationship.RevokedBy or IntelRelationship.AttributedTo))
            {
                continue;
            }

            if (index.TryGetValue(r.SourceRef, out var from) && index.TryGetValue(r.TargetRef, out var to))
            {
                sets.Union(from, to);
            }
        }

        // 2. Names: an object joins the one group all of its names point to; names pointing to several groups are shared.
        var nameOwners = NameOwners(nodes, sets);
        var ambiguous = new List<(int Node, List<int> Groups)>();
        for (var i = 0; i < nodes.Count; i++)
        {
            if (AttackIds(nodes[i]).Any())
            {
                continue; // ATT&CK groups are only merged by ids: their aliases are already curated
            }

            var groups = Names(nodes[i])
                .Select(n => nameOwners.TryGetValue(n, out var owners) ? owners : null)
                .Where(o => o is not null && o.Count == 1)
                .Select(o => o!.First())
                .Where(g => g != sets.Find(i) && sets.Flag(g))
                .Distinct()
                .ToList();
            if (groups.Count == 1)
            {
                sets.Union(i, groups[0]);
            }
            else if (groups.Count > 1)
            {
                ambiguous.Add((i, groups));
            }
        }

        // 3. One actor per group.
        var members = Enumerable.Range(0, nodes.Count).GroupBy(sets.Find).ToList();
        var actors = new List<Actor>();
        var byObject = new Dictionary<string, Actor>(StringComparer.Ordinal);
        foreach (var group in members)
        {
            var objects = group.Select(i => nodes[i]).ToList();
            var actor = Merge(objects);
            actors.Add(actor);
            foreach (var o in objects)
            {
                byObject[o.Id] = actor;
                foreach (var external in o.ExternalIds.Where(e => e.System == ExternalId.MispGalaxy))
                {
                    byObject.TryAdd(external.Value, actor);
                }
            }
        }

        actors.Sort((a, b) => string.Compare(a.Name, b.Name, StringComparison.OrdinalIgnoreCase) is var c && c != 0 ? c : string.CompareOrdinal(a.Id, b.Id));
        var byName = new Dictionary<string, List<Actor>>(StringComparer.OrdinalIgnoreCase);
        foreach (var actor in actors)
        {
            foreach (var name in actor.Aliases.Prepend(actor.Name).Concat(actor.AttackIds))
            {
                if (!byName.TryGetValue(name, out var list))
                {
                    byName[name] = list = [];
                }

                if (!list.Contains(actor))
                {
                    list.Add(actor);
                }
            }
        }

        var shared = byName.Where(p => p.Value.Count > 1).Select(p => p.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (shared.Count > 0)
        {
            var withShared = actors.Select(a => a with
            {
                SharedAliases = [.. a.Aliases.Prepend(a.Name).Where(shared.Contains).Order(StringComparer.OrdinalIgnoreCase)],
            }).ToList();
            var replace = new Dictionary<Actor, Actor>(ReferenceEqualityComparer.Instance);
            foreach (var (before, after) in actors.Zip(withShared))
            {
                replace[before] = after;
            }

            actors = withShared;
            foreach (var key in byObject.Keys.ToList())
            {
                byObject[key] = replace[byObject[key]];
            }

            foreach (var list in byName.Values)
            {
                for (var i = 0; i < list.Count; i++)
                {
                    list[i] = replace[list[i]];
                }
            }
        }

        var unmerged = ambiguous
            .Select(a => new AmbiguousObject(
                nodes[a.Node].Id,
                nodes[a.Node].Name,
                [.. a.Groups.Select(g => byObject[nodes[sets.Find(g)].Id].Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]))
            .Where(a => a.Candidates.Count > 1)
            .ToList();
        return new ActorRegistry(actors, byObject, byName.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.OrdinalIgnoreCase))
        {
            Ambiguous = unmerged,
        };
    }

    private static Actor Merge(List<IntelObject> objects)
    {
        // ATT&CK's live intrusion set names the actor; revoked and deprecated objects only lend their names.
        var primary = objects
            .OrderBy(o => o.Revoked || o.Deprecated)
            .ThenBy(o => AttackIds(o).Any() ? 0 : 1)
            .ThenBy(o => o.Type == "intrusion-set" ? 0 : 1)
            .ThenBy(o => o.Id, StringComparer.Ordinal)
            .First();
        var attackIds = objects
            .OrderBy(o => o.Revoked)
            .ThenBy(o => o.Id, StringComparer.Ordinal)
            .SelectMany(AttackIds)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var live = objects.Where(o => !o.Revoked).SelectMany(AttackIds).FirstOrDefault();
        var id = live ?? attackIds.FirstOrDefault() ?? objects.Select(o => o.Id).Min(StringComparer.Ordinal)!;
        var aliases = objects
            .SelectMany(Names)
            .Where(n => !n.Equals(primary.Name, StringComparison.OrdinalIgnoreCase) && !IsAttackId(n))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var (country, confidence) = CountryOf(objects, aliases.Prepend(primary.Name));
        return new Actor(id, primary.Name, aliases, country, confidence, [.. objects.Select(o => o.Id).Order(StringComparer.Ordinal)])
        {
            AttackIds = attackIds,
            Sources = [.. objects.Select(o => o.Source).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>The country most sources give (ties to the higher stated confidence), else the weather family's.</summary>
    private static (string? Country, int? Confidence) CountryOf(List<IntelObject> objects, IEnumerable<string> names)
    {
        var stated = objects
            .Where(o => o.Country is { Length: 2 })
            .GroupBy(o => o.Country!.ToUpperInvariant())
            .Select(g => (Country: g.Key, Count: g.Count(), Confidence: g.Max(o => o.AttributionConfidence ?? 100)))
            .OrderByDescending(c => c.Count)
            .ThenByDescending(c => c.Confidence)
            .ThenBy(c => c.Country, StringComparer.Ordinal)
            .FirstOrDefault();
        if (stated.Country is not null)
        {
            return (stated.Country, stated.Confidence);
        }

        var weather = names.Select(WeatherCountry).FirstOrDefault(c => c is not null);
        return weather is null ? (null, null) : (weather, 100);
    }

    private static Dictionary<string, HashSet<int>> NameOwners(List<IntelObject> nodes, DisjointSets sets)
    {
        var owners = new Dictionary<string, HashSet<int>>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < nodes.Count; i++)
        {
            if (!sets.Flag(sets.Find(i)))
            {
                continue;
            }

            foreach (var name in Names(nodes[i]))
            {
                if (!owners.TryGetValue(name, out var set))
                {
                    owners[name] = set = [];
                }

                set.Add(sets.Find(i));
            }
        }

        return owners;
    }

    private static IEnumerable<string> Names(IntelObject o) =>
        o.Aliases.Prepend(o.Name).Select(n => n.Trim()).Where(n => n.Length > 0);

    private static IEnumerable<string> AttackIds(IntelObject o) =>
        o.ExternalIds.Where(e => e.System == ExternalId.MitreAttack && IsAttackId(e.Value)).Select(e => e.Value.ToUpperInvariant());

    private static bool IsAttackId(string value) =>
        value.Length == 5 && (value[0] is 'G' or 'g') && value.AsSpan(1).ContainsAnyExceptInRange('0', '9') is false;

    /// <summary>Union-find with path halving.</summary>
    private sealed class DisjointSets
    {
        private readonly int[] _parent;
        private readonly bool[] _flag;

        public DisjointSets(int count)
        {
            _parent = new int[count];
            _flag = new bool[count];
            for (var i = 0; i < count; i++)
            {
                _parent[i] = i;
            }
        }

        /// <summary>Marks a set (by any member); union keeps the mark.</summary>
        public void SetFlag(int x, bool value) => _flag[Find(x)] |= value;

        public bool Flag(int x) => _flag[Find(x)];

        public int Find(int x)
        {
            while (_parent[x] != x)
            {
                _parent[x] = _parent[_parent[x]];
                x = _parent[x];
            }

            return x;
        }

        public void Union(int a, int b)
        {
            var ra = Find(a);
            var rb = Find(b);
            if (ra != rb)
            {
                // The lower index stays root so the result does not depend on union order.
                _parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
                _flag[Math.Min(ra, rb)] |= _flag[Math.Max(ra, rb)];
            }
        }
    }
}
