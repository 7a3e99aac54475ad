namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// A condition on a binding's times only — its latest first-observed and earliest last-observed ticks — which is all
/// WITHIN and START/STOP look at. Being on times only, it can be checked for two bindings together without merging them.
/// </summary>
internal delegate bool TimeTest(long maxFirst, long minLast);
