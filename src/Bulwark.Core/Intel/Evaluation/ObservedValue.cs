using System.Globalization;

namespace Bulwark.Core.Intel.Evaluation;

/// <summary>
/// One property value of an observed cyber-observable object: a small tagged value (no boxing for numbers,
/// booleans and timestamps) so an observation can be built for every matching event cheaply.
/// </summary>
public readonly struct ObservedValue
{
    private readonly object? _reference;
    private readonly long _bits;

    private ObservedValue(ObservedKind kind, object? reference, long bits)
    {
        Kind = kind;
        _reference = reference;
        _bits = bits;
    }

    /// <summary>What the value holds.</summary>
    public ObservedKind Kind { get; }

    /// <summary>The null value.</summary>
    public static ObservedValue Null => default;

    /// <summary>Text.</summary>
    public static ObservedValue String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(ObservedKind.String, value, 0);
    }

    /// <summary>A whole number.</summary>
    public static ObservedValue Integer(long value) => new(ObservedKind.Integer, null, value);

    /// <summary>A floating-point number.</summary>
    public static ObservedValue Float(double value) => new(ObservedKind.Float, null, BitConverter.DoubleToInt64Bits(value));

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public static ObservedValue Boolean(bool value) => new(ObservedKind.Boolean, null, value ? 1 : 0);

    /// <summary>An instant, kept in UTC.</summary>
    public static ObservedValue Timestamp(DateTimeOffset value) => new(ObservedKind.Timestamp, null, value.UtcTicks);

    /// <summary>Bytes; the array is kept, not copied.</summary>
    public static ObservedValue Binary(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(ObservedKind.Binary, value, 0);
    }

    /// <summary>A list; the array is kept, not copied.</summary>
    public static ObservedValue List(params ObservedValue[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return new(ObservedKind.List, items, 0);
    }

    /// <summary>A dictionary.</summary>
    public static ObservedValue Dictionary(ObservedDictionary value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(ObservedKind.Dictionary, value, 0);
    }

    /// <summary>A dictionary of the given entries.</summary>
    public static ObservedValue Dictionary(params ReadOnlySpan<(string Name, ObservedValue Value)> entries) =>
        Dictionary(new ObservedDictionary(entries));

    public static implicit operator ObservedValue(string value) => String(value);

    public static implicit operator ObservedValue(long value) => Integer(value);

    public static implicit operator ObservedValue(int value) => Integer(value);

    public static implicit operator ObservedValue(double value) => Float(value);

    public static implicit operator ObservedValue(bool value) => Boolean(value);

    public static implicit operator ObservedValue(DateTimeOffset value) => Timestamp(value);

    /// <summary>The text of a <see cref="ObservedKind.String"/> value.</summary>
    public string AsString() => Kind == ObservedKind.String ? (string)_reference! : throw WrongKind(ObservedKind.String);

    /// <summary>The number of an <see cref="ObservedKind.Integer"/> value.</summary>
    public long AsInteger() => Kind == ObservedKind.Integer ? _bits : throw WrongKind(ObservedKind.Integer);

    /// <summary>The number of a <see cref="ObservedKind.Float"/> value.</summary>
    public double AsFloat() => Kind == ObservedKind.Float ? BitConverter.Int64BitsToDouble(_bits) : throw WrongKind(ObservedKind.Float);

    /// <summary>The flag of a <see cref="ObservedKind.Boolean"/> value.</summary>
    public bool AsBoolean() => Kind == ObservedKind.Boolean ? _bits != 0 : throw WrongKind(ObservedKind.Boolean);

    /// <summary>The instant of a <see cref="ObservedKind.Timestamp"/> value, in UTC.</summary>
    public DateTimeOffset AsTimestamp() =>
        Kind == ObservedKind.Timestamp ? new DateTimeOffset(_bits, TimeSpan.Zero) : throw WrongKind(ObservedKind.Timestamp);

    /// <summary>The bytes of a <see cref="ObservedKind.Binary"/> value.</summary>
    public ReadOnlySpan<byte> AsBinary() => Kind == ObservedKind.Binary ? (byte[])_reference! : throw WrongKind(ObservedKind.Binary);

    /// <summary>The items of a <see cref="ObservedKind.List"/> value.</summary>
    public ReadOnlySpan<ObservedValue> AsList() => Kind == ObservedKind.List ? (ObservedValue[])_reference! : throw WrongKind(ObservedKind.List);

    /// <summary>The entries of a <see cref="ObservedKind.Dictionary"/> value.</summary>
    public ObservedDictionary AsDictionary() =>
        Kind == ObservedKind.Dictionary ? (ObservedDictionary)_reference! : throw WrongKind(ObservedKind.Dictionary);

    internal long TimestampTicks => _bits;

    /// <summary>A short rendering for messages and test output.</summary>
    public override string ToString() => Kind switch
    {
        ObservedKind.Null => "null",
        ObservedKind.String => "'" + (string)_reference! + "'",
        ObservedKind.Integer => _bits.ToString(CultureInfo.InvariantCulture),
        ObservedKind.Float => AsFloat().ToString("R", CultureInfo.InvariantCulture),
        ObservedKind.Boolean => _bits != 0 ? "true" : "false",
        ObservedKind.Timestamp => AsTimestamp().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        ObservedKind.Binary => "h'" + Convert.ToHexStringLower((byte[])_reference!) + "'",
        ObservedKind.List => "[" + string.Join(", ", ((ObservedValue[])_reference!).Select(v => v.ToString())) + "]",
        _ => ((ObservedDictionary)_reference!).ToString(),
    };

    private InvalidOperationException WrongKind(ObservedKind wanted) => new($"value is {Kind}, not {wanted}");
}
