using System.Globalization;

namespace Bulwark.Core.Posture;

/// <summary>
/// An Exchange Server build number (ExSetup.exe file version, or a log's <c>#Version:</c> header),
/// compared as four integers: string order would put 15.1.2106.13 before 15.1.2106.2.
/// </summary>
public readonly record struct ExchangeBuild(int Major, int Minor, int Build, int Revision) : IComparable<ExchangeBuild>
{
    /// <summary>First build of Exchange Server SE, which keeps the 15.2 version of Exchange Server 2019 (HC).</summary>
    private const int FirstSeBuild = 2562;

    public ExchangeProduct Product => (Major, Minor) switch
    {
        (14, >= 0 and <= 3) => ExchangeProduct.Exchange2010,
        (15, 0) => ExchangeProduct.Exchange2013,
        (15, 1) => ExchangeProduct.Exchange2016,
        (15, 2) when Build >= FirstSeBuild => ExchangeProduct.ExchangeSE,
        (15, 2) => ExchangeProduct.Exchange2019,
        _ => ExchangeProduct.Unknown,
    };

    /// <summary>E.g. "Exchange Server 2016"; null when the build belongs to no Exchange version Bulwark knows.</summary>
    public string? ProductName => Product switch
    {
        ExchangeProduct.Exchange2010 => Minor == 0 ? "Exchange Server 2010" : $"Exchange Server 2010 SP{Minor}",
        ExchangeProduct.Exchange2013 => "Exchange Server 2013",
        ExchangeProduct.Exchange2016 => "Exchange Server 2016",
        ExchangeProduct.Exchange2019 => "Exchange Server 2019",
        ExchangeProduct.ExchangeSE => "Exchange Server SE",
        _ => null,
    };

    /// <summary>
    /// Reads <c>15.1.2106.2</c>, <c>15.01.2106.013</c> (the zero-padded form of log <c>#Version:</c> headers) or
    /// <c>15.1.2106</c> (revision 0). Anything else, including surrounding white space, is rejected.
    /// </summary>
    public static bool TryParse(string? text, out ExchangeBuild build)
    {
        build = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        Span<int> parts = stackalloc int[4];
        var count = 0;
        foreach (var range in text.AsSpan().Split('.'))
        {
            if (count == parts.Length
                || !int.TryParse(text.AsSpan(range), NumberStyles.None, CultureInfo.InvariantCulture, out parts[count]))
            {
                return false;
            }

            count++;
        }

        if (count < 3)
        {
            return false;
        }

        build = new ExchangeBuild(parts[0], parts[1], parts[2], count == 4 ? parts[3] : 0);
        return true;
    }

    /// <exception cref="FormatException">The text is not a build number <see cref="TryParse"/> accepts.</exception>
    public static ExchangeBuild Parse(string text) =>
        TryParse(text, out var build) ? build : throw new FormatException($"'{text}' is not an Exchange build number");

    public int CompareTo(ExchangeBuild other)
    {
        var c = Major.CompareTo(other.Major);
        if (c == 0)
        {
            c = Minor.CompareTo(other.Minor);
        }

        if (c == 0)
        {
            c = Build.CompareTo(other.Build);
        }

        return c != 0 ? c : Revision.CompareTo(other.Revision);
    }

    public static bool operator <(ExchangeBuild left, ExchangeBuild right) => left.CompareTo(right) < 0;

    public static bool operator >(ExchangeBuild left, ExchangeBuild right) => left.CompareTo(right) > 0;

    public static bool operator <=(ExchangeBuild left, ExchangeBuild right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ExchangeBuild left, ExchangeBuild right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Build}.{Revision}");
}
