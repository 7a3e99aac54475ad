namespace Bulwark.Core.Intel.Index;

/// <summary>
/// Traffic Light Protocol level, ordered loosest to strictest so that the effective level of anything derived
/// from several inputs is the maximum (intel.md §8.2). TLP 1.0 WHITE is TLP 2.0 CLEAR.
/// </summary>
public enum Tlp : byte
{
    Clear = 0,
    White = Clear,
    Green = 1,
    Amber = 2,
    AmberStrict = 3,
    Red = 4,
}
