namespace Bulwark.LogGen.Plant;

/// <summary>One planted line: an attack a correct scan must report, or a decoy it must not.</summary>
public sealed record PlantRecord(string Id, PlantKind Kind, string File, int Line, string What, string Expected);
