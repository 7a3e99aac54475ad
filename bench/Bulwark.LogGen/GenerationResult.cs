using Bulwark.LogGen.Plant;

namespace Bulwark.LogGen;

/// <summary>What a run produced: bytes, the planted lines, and the time window covered.</summary>
public sealed record GenerationResult(long Bytes, Manifest Manifest, DateTime Start, DateTime End);
