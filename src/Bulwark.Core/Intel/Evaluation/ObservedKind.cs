namespace Bulwark.Core.Intel.Evaluation;

/// <summary>What an <see cref="ObservedValue"/> holds; the comparison rules of STIX patterning depend on it.</summary>
public enum ObservedKind : byte
{
    /// <summary>No value (JSON <c>null</c>); compares unequal to every literal.</summary>
    Null,

    /// <summary>Text.</summary>
    String,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>A floating-point number.</summary>
    Float,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A UTC instant.</summary>
    Timestamp,

    /// <summary>Bytes (STIX <c>*_hex</c> and <c>*_bin</c> properties).</summary>
    Binary,

    /// <summary>An ordered list of values.</summary>
    List,

    /// <summary>Named values (a STIX dictionary or a nested type such as an extension).</summary>
    Dictionary,
}
