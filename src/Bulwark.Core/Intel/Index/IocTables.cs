namespace Bulwark.Core.Intel.Index;

/// <summary>The per-kind lookup tables, filled by <see cref="IocIndexBuilder"/> and frozen for <see cref="IocIndex"/>.</summary>
internal sealed class IocTables
{
    public ValueTable<uint> IPv4 { get; } = new();
    public ValueTable<UInt128> IPv6 { get; } = new();
    public List<PrefixRanges<uint>.Prefix> CidrV4 { get; } = [];
    public List<PrefixRanges<UInt128>.Prefix> CidrV6 { get; } = [];
    public ValueTable<string> Domains { get; } = new(StringComparer.OrdinalIgnoreCase);
    public ValueTable<string> Urls { get; } = new(StringComparer.Ordinal);
    public ValueTable<string> Emails { get; } = new(StringComparer.OrdinalIgnoreCase);
    public ValueTable<UInt128> Md5 { get; } = new();
    public ValueTable<Sha1Key> Sha1 { get; } = new();
    public ValueTable<Sha256Key> Sha256 { get; } = new();
    public ValueTable<string> UserAgents { get; } = new(StringComparer.Ordinal);
    public ValueTable<string> FileNames { get; } = new(StringComparer.OrdinalIgnoreCase);
    public ValueTable<string> FilePaths { get; } = new(StringComparer.OrdinalIgnoreCase);
    public PrefixRanges<uint> CidrV4Ranges { get; private set; } = PrefixRanges<uint>.Build([], 32);
    public PrefixRanges<UInt128> CidrV6Ranges { get; private set; } = PrefixRanges<UInt128>.Build([], 128);

    public void Freeze(List<int> next)
    {
        IPv4.Freeze(next);
        IPv6.Freeze(next);
        Domains.Freeze(next, parentDomains: true, StringComparison.OrdinalIgnoreCase);
        Urls.Freeze(next);
        Emails.Freeze(next, comparison: StringComparison.OrdinalIgnoreCase);
        Md5.Freeze(next);
        Sha1.Freeze(next);
        Sha256.Freeze(next);
        UserAgents.Freeze(next);
        FileNames.Freeze(next, comparison: StringComparison.OrdinalIgnoreCase);
        FilePaths.Freeze(next, comparison: StringComparison.OrdinalIgnoreCase);
        CidrV4Ranges = PrefixRanges<uint>.Build(CidrV4, 32);
        CidrV6Ranges = PrefixRanges<UInt128>.Build(CidrV6, 128);
        CidrV4.Clear();
        CidrV4.TrimExcess();
        CidrV6.Clear();
        CidrV6.TrimExcess();
    }
}
