namespace Bulwark.Core.Intel.Misp;

/// <summary>Counts kept while reading, turned into a <see cref="MispReadResult"/> at the end.</summary>
internal sealed class MispTally
{
    public int Events;
    public int Indicators;
    public int NotForDetection;
    public int Revoked;
    public int Objects;
    public int Relationships;
    public int Warninglists;
    public readonly Dictionary<string, int> UnsupportedTypes = new(StringComparer.Ordinal);

    public void Unsupported(string type) => UnsupportedTypes[type] = UnsupportedTypes.GetValueOrDefault(type) + 1;

    public MispReadResult ToResult(MispProblems problems) => new()
    {
        Events = Events,
        Indicators = Indicators,
        NotForDetection = NotForDetection,
        UnsupportedTypes = new Dictionary<string, int>(UnsupportedTypes, StringComparer.Ordinal),
        Revoked = Revoked,
        Objects = Objects,
        Relationships = Relationships,
        Warninglists = Warninglists,
        Problems = [.. problems.All],
    };
}
