namespace Bulwark.Core.Intel.Matching;

/// <summary>One index entry hit by one field of an event or file.</summary>
/// <param name="EntryId">The IOC index entry.</param>
/// <param name="Field">Where the value was seen: a log column (<c>c-ip</c>) or <c>file sha256</c>, <c>file path</c>.</param>
/// <param name="Observed">The value as seen.</param>
public readonly record struct IntelHit(int EntryId, string Field, string Observed);
