using Bulwark.Core.Intel.Index;

namespace Bulwark.Core.Intel.Model;

/// <summary>Where intelligence came from: one file, feed or TAXII collection.</summary>
/// <param name="Id">Short stable id used in index entries and findings, e.g. <c>cisa-aa21-062a</c> or a file name.</param>
/// <param name="Format">What it was read as.</param>
public sealed record IntelSource(string Id, IntelFormat Format)
{
    /// <summary>Path or URL it was read from.</summary>
    public string? Location { get; init; }

    public string? Title { get; init; }

    /// <summary>TLP given to anything in it without its own marking (Amber unless configured).</summary>
    public Tlp DefaultTlp { get; init; } = Tlp.Amber;

    /// <summary>Confidence given to indicators without their own, 0–100.</summary>
    public int DefaultConfidence { get; init; } = 50;
}

public enum IntelFormat
{
    StixBundle,
    MispEvent,
    MispFeed,
    MispGalaxy,
    MispWarninglist,
    PlainList,
    Taxii,
}

/// <summary>Something in a source that was not taken, with where it stood and why; the rest was still read.</summary>
/// <param name="File">The file (or URL) it is in.</param>
/// <param name="Where">Line number (<c>line 12</c>) or JSON location (<c>objects[4].pattern</c>, <c>Event.Attribute[3].value</c>).</param>
/// <param name="Message">What was wrong and what was expected.</param>
public sealed record IntelProblem(string File, string Where, string Message)
{
    public override string ToString() => Where.Length == 0 ? $"{File}: {Message}" : $"{File}: {Where}: {Message}";
}
