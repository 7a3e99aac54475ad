namespace Bulwark.LogGen.Output;

/// <summary>Where a line was written: file under the output root and 1-based line number.</summary>
public readonly record struct LineLocation(string File, int Line);
