namespace Bulwark.Core.Intel.Model;

/// <summary>
/// A MISP warninglist: values known to be benign (public resolvers, cloud ranges, top domains, empty-file
/// hashes). An indicator value a warninglist covers is not matched, and the import says which list dropped it.
/// </summary>
/// <param name="Name">The list's name.</param>
/// <param name="Type">MISP list type: <c>string</c>, <c>cidr</c>, <c>hostname</c>, <c>substring</c> or <c>regex</c>.</param>
public sealed record Warninglist(string Name, string Type, IReadOnlyList<string> Values, string Source)
{
    public string? Description { get; init; }

    /// <summary>MISP <c>matching_attributes</c>: the attribute types the list applies to (empty = all).</summary>
    public IReadOnlyList<string> MatchingAttributes { get; init; } = [];

    public int Version { get; init; }
}
