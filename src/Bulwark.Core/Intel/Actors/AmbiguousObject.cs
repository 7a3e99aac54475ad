namespace Bulwark.Core.Intel.Actors;

/// <summary>An object not merged into an actor because its names point at several: <paramref name="Candidates"/> are their ids.</summary>
public sealed record AmbiguousObject(string ObjectId, string Name, IReadOnlyList<string> Candidates);
