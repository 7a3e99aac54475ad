namespace Bulwark.Data.Taxii;

/// <summary>TLP levels a collection can be limited to, loosest to strictest (TLP 1.0 WHITE is CLEAR).</summary>
public enum TaxiiTlp
{
    Clear,
    Green,
    Amber,
    AmberStrict,
    Red,
}
