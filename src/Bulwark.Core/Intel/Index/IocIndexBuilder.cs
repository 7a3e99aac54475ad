using System.Buffers;
using System.Buffers.Binary;

namespace Bulwark.Core.Intel.Index;

/// <summary>
/// Collects indicators, validating and normalising each as it is added, then builds one immutable
/// <see cref="IocIndex"/>. A malformed indicator is rejected with a reason and the rest still go in. Not
/// thread-safe; builds once (the index takes over the builder's tables rather than copying them).
/// </summary>
public sealed class IocIndexBuilder
{
    private static readonly SearchValues<char> DomainChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    /// <summary>::ffff:0:0, the start of the IPv4-mapped block ::ffff:0:0/96.</summary>
    private static readonly UInt128 MappedPrefix = (UInt128)0xFFFF << 32;

    private readonly ValueStoreBuilder _store;
    private readonly List<int> _sources;
    private readonly List<byte> _kinds;
    private readonly List<byte> _tlps;
    private readonly List<byte> _confidences;
    private readonly List<long> _validFrom;
    private readonly List<long> _validUntil;
    private readonly List<string?> _references;
    private readonly List<int> _next;
    private readonly Dictionary<string, int> _sourceIds = new(StringComparer.Ordinal);
    private readonly List<string> _sourceNames = [];
    private readonly IocTables _tables = new();
    private bool _built;

    /// <param name="capacity">Expected number of indicators, to size the entry arrays once.</param>
    public IocIndexBuilder(int capacity = 0)
    {
        _store = new(capacity);
        _sources = new(capacity);
        _kinds = new(capacity);
        _tlps = new(capacity);
        _confidences = new(capacity);
        _validFrom = new(capacity);
        _validUntil = new(capacity);
        _references = new(capacity);
        _next = new(capacity);
    }

    public int Count => _kinds.Count;

    /// <summary>Adds an indicator, or throws <see cref="ArgumentException"/> naming the value when it is malformed.</summary>
    /// <returns>The entry id.</returns>
    public int Add(in IocIndicator indicator)
    {
        var result = TryAdd(indicator);
        return result.Added ? result.EntryId : throw new ArgumentException(result.Error, nameof(indicator));
    }

    /// <summary>Adds an indicator, or reports why it was rejected (the builder is unchanged then).</summary>
    public AddResult TryAdd(in IocIndicator indicator)
    {
        ObjectDisposedException.ThrowIf(_built, this);
        var raw = indicator.Value;
        if (string.IsNullOrWhiteSpace(raw))
        {
            return AddResult.Rejected($"{indicator.Kind} indicator has an empty value");
        }

        if (string.IsNullOrEmpty(indicator.Source))
        {
            return AddResult.Rejected($"{indicator.Kind} '{raw}' has no source id");
        }

        if (indicator.Confidence is < 0 or > 100)
        {
            return AddResult.Rejected($"{indicator.Kind} '{raw}' has confidence {indicator.Confidence}; expected 0 to 100");
        }

        if (indicator.ValidFrom >= indicator.ValidUntil)
        {
            return AddResult.Rejected($"{indicator.Kind} '{raw}' is valid until {indicator.ValidUntil:O}, not after its start {indicator.ValidFrom:O}");
        }

        if (!Enum.IsDefined(indicator.Tlp))
        {
            return AddResult.Rejected($"{indicator.Kind} '{raw}' has unknown TLP value {(int)indicator.Tlp}");
        }

        var span = raw.AsSpan().Trim();
        var id = _kinds.Count;
        var t = _tables;
        switch (indicator.Kind)
        {
            case IocKind.IPv4:
                if (!IocText.TryParseIPv4(span, out var v4))
                {
                    return Invalid(indicator, "is not an IPv4 address (a.b.c.d)");
                }

                Append(indicator, span);
                t.IPv4.Add(v4, id, _next);
                return AddResult.Success(id);

            case IocKind.IPv6:
                if (!IocText.TryParseIPv6(span, out var v6))
                {
                    return Invalid(indicator, "is not an IPv6 address");
                }

                Append(indicator, span);
                if (IocText.IsIPv4Mapped(v6, out var mapped))
                {
                    t.IPv4.Add(mapped, id, _next);
                }
                else
                {
                    t.IPv6.Add(v6, id, _next);
                }

                return AddResult.Success(id);

            case IocKind.CidrV4:
            case IocKind.CidrV6:
                return AddCidr(indicator, span, id);

            case IocKind.Domain:
                {
                    var domain = IocText.TrimHost(span);
                    var bad = domain.IndexOfAnyExcept(DomainChars);
                    if (domain.IsEmpty || (bad >= 0 && domain[bad] < 128) || domain.Contains("..", StringComparison.Ordinal) || domain[0] is '.' or '-')
                    {
                        return Invalid(indicator, "is not a domain name (letters, digits, '-', '_' in non-empty labels separated by '.')");
                    }

                    if (IocText.DomainKey(domain, raw) is not { } key)
                    {
                        return Invalid(indicator, "is not a valid internationalised domain name");
                    }

                    Append(indicator, domain, lower: true);
                    t.Domains.Add(key, id, _next);
                    return AddResult.Success(id);
                }

            case IocKind.Url:
                {
                    var buffer = ArrayPool<char>.Shared.Rent(span.Length + 1);
                    try
                    {
                        var length = IocText.NormalizeUrl(span, buffer, out var host);
                        if (length < 0)
                        {
                            return Invalid(indicator, "is not an absolute URL (scheme://host/path)");
                        }

                        var normalized = buffer.AsSpan(0, length);
                        var key = System.Text.Ascii.IsValid(normalized[host]) ? Key(normalized, raw, fold: false) : IocText.WithAsciiHost(normalized, host);
                        if (key is null)
                        {
                            return Invalid(indicator, "has a host that is not a valid internationalised domain name");
                        }

                        Append(indicator, normalized);
                        t.Urls.Add(key, id, _next);
                        return AddResult.Success(id);
                    }
                    finally
                    {
                        ArrayPool<char>.Shared.Return(buffer);
                    }
                }

            case IocKind.Email:
                {
                    var at = span.LastIndexOf('@');
                    if (at <= 0 || at == span.Length - 1 || span.ContainsAny(" \t\r\n<>"))
                    {
                        return Invalid(indicator, "is not an e-mail address (local@domain)");
                    }

                    Append(indicator, span, lower: true);
                    t.Emails.Add(Key(span, raw, fold: true), id, _next);
                    return AddResult.Success(id);
                }

            case IocKind.Md5:
            case IocKind.Sha1:
            case IocKind.Sha256:
                return AddHash(indicator, span, id);

            case IocKind.UserAgent:
                // Exact: a user agent is matched as the feed wrote it, surrounding spaces included.
                Append(indicator, raw);
                t.UserAgents.Add(raw, id, _next);
                return AddResult.Success(id);

            case IocKind.FileName:
                {
                    var name = IocText.FileNameOf(span);
                    if (span.ContainsAny('\\', '/') || name.IsEmpty)
                    {
                        return Invalid(indicator, "is not a file name (empty, or it contains a path separator: use FilePath)");
                    }

                    Append(indicator, name);
                    t.FileNames.Add(Key(name, raw, fold: true), id, _next);
                    return AddResult.Success(id);
                }

            case IocKind.FilePath:
                {
                    var buffer = ArrayPool<char>.Shared.Rent(span.Length);
                    try
                    {
                        var path = buffer.AsSpan(0, span.Length);
                        IocText.NormalizeSeparators(span, path);
                        Append(indicator, path);
                        t.FilePaths.Add(Key(path, raw, fold: true), id, _next);
                        return AddResult.Success(id);
                    }
                    finally
                    {
                        ArrayPool<char>.Shared.Return(buffer);
                    }
                }

            default:
                return AddResult.Rejected($"'{raw}' has unknown indicator kind {(int)indicator.Kind}");
        }
    }

    /// <summary>Builds the immutable index. The builder cannot be used afterwards.</summary>
    public IocIndex Build()
    {
        ObjectDisposedException.ThrowIf(_built, this);
        _built = true;
        var values = _store.Build();
        _tables.Freeze(_next, values);
        var entries = new IocIndex.EntryTable(
            values, [.. _sources], [.. _kinds], [.. _tlps], [.. _confidences], [.. _validFrom], [.. _validUntil], [.. _references], [.. _sourceNames]);
        return new IocIndex(entries, _tables);
    }

    private AddResult AddCidr(in IocIndicator indicator, ReadOnlySpan<char> span, int id)
    {
        var v4 = indicator.Kind == IocKind.CidrV4;
        var slash = span.IndexOf('/');
        var bits = v4 ? 32 : 128;
        if (slash < 0 || !int.TryParse(span[(slash + 1)..], out var length) || length < 0 || length > bits || !char.IsAsciiDigit(span[^1]))
        {
            return Invalid(indicator, $"is not a CIDR range: expected address/prefix-length with a length from 0 to {bits}");
        }

        var address = span[..slash];
        if (v4)
        {
            if (!IocText.TryParseIPv4(address, out var a))
            {
                return Invalid(indicator, "does not start with an IPv4 address");
            }

            Append(indicator, span);
            _tables.CidrV4.Add(new(PrefixRanges<uint>.Mask(a, length, 32), length, id));
            return AddResult.Success(id);
        }

        if (!IocText.TryParseIPv6(address, out var b))
        {
            return Invalid(indicator, "does not start with an IPv6 address");
        }

        Append(indicator, span);
        var network = PrefixRanges<UInt128>.Mask(b, length, 128);
        if (length >= 96 && IocText.IsIPv4Mapped(network, out var mapped))
        {
            // ::ffff:a.b.c.d/n is the IPv4 range a.b.c.d/(n-96): IPv4 lookups must see it.
            _tables.CidrV4.Add(new(mapped, length - 96, id));
        }
        else
        {
            _tables.CidrV6.Add(new(network, length, id));
            if (length < 96 && PrefixRanges<UInt128>.Mask(MappedPrefix, length, 128) == network)
            {
                // A shorter range holding all of ::ffff:0:0/96 (::/80, ::/0…) holds every IPv4 address as IPv4
                // lookups see them (an IPv4-mapped address is looked up as IPv4).
                _tables.CidrV4.Add(new(0, 0, id));
            }
        }

        return AddResult.Success(id);
    }

    private AddResult AddHash(in IocIndicator indicator, ReadOnlySpan<char> span, int id)
    {
        var size = indicator.Kind switch { IocKind.Md5 => 16, IocKind.Sha1 => 20, _ => 32 };
        Span<byte> digest = stackalloc byte[size];
        if (!IocText.TryParseHex(span, digest))
        {
            return Invalid(indicator, span.Length == size * 2
                ? "contains characters that are not hex digits"
                : $"has {span.Length} characters; a hex {indicator.Kind} hash has {size * 2}");
        }

        Append(indicator, [], digest: digest);
        switch (indicator.Kind)
        {
            case IocKind.Md5:
                _tables.Md5.Add(BinaryPrimitives.ReadUInt128BigEndian(digest), id, _next);
                break;
            case IocKind.Sha1:
                _tables.Sha1.Add(Sha1Key.From(digest), id, _next);
                break;
            default:
                _tables.Sha256.Add(Sha256Key.From(digest), id, _next);
                break;
        }

        return AddResult.Success(id);
    }

    private static AddResult Invalid(in IocIndicator indicator, string why) =>
        AddResult.Rejected($"{indicator.Kind} '{indicator.Value}' {why}");

    /// <summary>
    /// The string a table keys <paramref name="normalized"/> by: the indicator's own string when normalising left it
    /// unchanged (no copy), folded when the table ignores case.
    /// </summary>
    private static string Key(ReadOnlySpan<char> normalized, string raw, bool fold)
    {
        var key = normalized.SequenceEqual(raw) ? raw : normalized.ToString();
        return fold ? StringTable.Fold(key) : key;
    }

    /// <summary>Appends the entry: its value (text, lower-cased on request, or a hash's digest) and metadata.</summary>
    private void Append(in IocIndicator indicator, ReadOnlySpan<char> normalized, bool lower = false, ReadOnlySpan<byte> digest = default)
    {
        if (digest.IsEmpty)
        {
            _store.AddText(normalized, lower);
        }
        else
        {
            _store.AddBytes(digest);
        }

        if (!_sourceIds.TryGetValue(indicator.Source, out var source))
        {
            source = _sourceNames.Count;
            _sourceIds.Add(indicator.Source, source);
            _sourceNames.Add(indicator.Source);
        }

        _sources.Add(source);
        _kinds.Add((byte)indicator.Kind);
        _tlps.Add((byte)indicator.Tlp);
        _confidences.Add((byte)indicator.Confidence);
        _validFrom.Add(indicator.ValidFrom?.UtcTicks ?? long.MinValue);
        _validUntil.Add(indicator.ValidUntil?.UtcTicks ?? long.MaxValue);
        _references.Add(indicator.Reference);
        _next.Add(-1);
    }
}
