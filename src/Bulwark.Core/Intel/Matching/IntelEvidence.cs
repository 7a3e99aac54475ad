using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Intel.Matching;

/// <summary>The evidence fields an intel hit adds, read back when findings are attributed.</summary>
public static class IntelEvidence
{
    /// <summary>The indicator, as <c>kind value</c>.</summary>
    public const string Indicator = "intel indicator";

    /// <summary>The indicator's id (STIX id, MISP attribute) that attribution starts from.</summary>
    public const string IndicatorId = "intel indicator id";

    /// <summary>The source, its TLP and the indicator's confidence.</summary>
    public const string Source = "intel source";

    /// <summary>Where the value was seen, when not obvious from the line.</summary>
    public const string SeenIn = "intel seen in";

    public static string Subject(IocEntry entry) => entry.Value;

    internal static void Describe(Dictionary<string, string> fields, IntelHit hit, IocEntry entry, IntelIndicator? indicator, IntelSet intel)
    {
        fields[Indicator] = $"{KindText(entry.Kind)} {entry.Value}";
        if (entry.Reference is { } reference)
        {
            fields[IndicatorId] = reference;
        }

        var title = intel.Catalog.GetSource(entry.Source)?.Title;
        fields[Source] = $"{(title is null ? entry.Source : $"{title} ({entry.Source})")}, TLP:{TlpText(entry.Tlp)}, confidence {entry.Confidence}"
            + (indicator?.Name is { Length: > 0 } name ? $", \"{name}\"" : "");
        if (hit.Field.Length > 0)
        {
            fields[SeenIn] = hit.Field;
        }
    }

    public static string KindText(IocKind kind) => kind switch
    {
        IocKind.IPv4 or IocKind.IPv6 => "address",
        IocKind.CidrV4 or IocKind.CidrV6 => "network",
        IocKind.Domain => "domain",
        IocKind.Url => "url",
        IocKind.Email => "email",
        IocKind.Md5 => "md5",
        IocKind.Sha1 => "sha1",
        IocKind.Sha256 => "sha256",
        IocKind.UserAgent => "user-agent",
        IocKind.FileName => "file-name",
        IocKind.FilePath => "file-path",
        _ => kind.ToString(),
    };

    public static string TlpText(Tlp tlp) => tlp switch
    {
        Tlp.Clear => "CLEAR",
        Tlp.Green => "GREEN",
        Tlp.Amber => "AMBER",
        Tlp.AmberStrict => "AMBER+STRICT",
        Tlp.Red => "RED",
        _ => tlp.ToString(),
    };
}
