namespace Bulwark.Core.Intel.Index;

/// <summary>
/// The per-kind lookup tables, filled by <see cref="IocIndexBuilder"/> and frozen for <see cref="IocIndex"/>. The
/// case-insensitive string kinds (domains, e-mails, file names and paths) are keyed by their folded form.
/// </summary>
internal sealed class IocTables
{
    public ValueTable<uint> IPv4 { get; } = new();
    public ValueTable<UInt128> IPv6 { get; } = new();
    public List<PrefixRanges<uint>.Prefix> CidrV4 { get; } = [];
    public List<PrefixRanges<UInt128>.Prefix> CidrV6 { get; } = [];
    public ValueTable<string> Domains { get; } = new();
    public ValueTable<string> Urls { get; } = new();
    public ValueTable<string> Emails { get; } = new();
    public ValueTable<UInt128> Md5 { get; } = new();
    public ValueTable<Sha1Key> Sha1 { get; } = new();
    public ValueTable<Sha256Key> Sha256 { get; } = new();
    public ValueTable<string> UserAgents { get; } = new();
    public ValueTable<string> FileNames { get; } = new();
    public ValueTable<string> FilePaths { get; } = new();
    public PrefixRanges<uint> CidrV4Ranges { get; private set; } = PrefixRanges<uint>.Build([], 32);
    public PrefixRanges<UInt128> CidrV6Ranges { get; private set; } = PrefixRanges<UInt128>.Build([], 128);

    public void Freeze(List<int> next, ValueStore values)
    {
        IPv4.Freeze(next, values);
        IPv6.Freeze(next, values);
        Domains.Freeze(next, values, parentDomains: true, ignoreCase: true);
        Urls.Freeze(next, values);
        Emails.Freeze(next, values, ignoreCase: true);
        Md5.Freeze(next, values);
        Sha1.Freeze(next, values);
        Sha256.Freeze(next, values);
        UserAgents.Freeze(next, values);
        FileNames.Freeze(next, values, ignoreCase: true);
        FilePaths.Freeze(next, values, ignoreCase: true);
        CidrV4Ranges = PrefixRanges<uint>.Build(CidrV4, 32);
        CidrV6Ranges = PrefixRanges<UInt128>.Build(CidrV6, 128);
        CidrV4.Clear();
        CidrV4.TrimExcess();
        CidrV6.Clear();
        CidrV6.TrimExcess();
    }
}
