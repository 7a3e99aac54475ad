using System.Collections.Frozen;

namespace Bulwark.Core.Sources;

/// <summary>Column names of a log file (from <c>#Fields:</c> or a header row), looked up case-insensitively.</summary>
public sealed class LogSchema
{
    private readonly FrozenDictionary<string, int> _index;

    public LogSchema(IReadOnlyList<string> names)
    {
        Names = names;
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
        {
            index.TryAdd(names[i], i);
        }

        _index = index.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<string> Names { get; }

    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;

    public bool Has(string name) => _index.ContainsKey(name);
}
