using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Intel.Misp;

/// <summary>
/// Answers whether a warninglist covers an indicator value, so known-benign values (public resolvers, cloud
/// ranges, top domains, empty-file hashes) are dropped at import (intel.md §3.3, §6.4). Built once from the
/// catalog's warninglists; lookups are hash probes, a binary search over CIDR ranges and a label walk for host
/// names, so a million indicators take a second or so (substring and regex lists cost a scan each, and are
/// small in practice). Matching follows MISP: <c>cidr</c> = the address (or the whole network) inside a listed
/// network, IPv4 and IPv6; <c>string</c> = equal (ignoring case except for URLs and user agents); <c>hostname</c>
/// = the host or any subdomain of a listed name (a leading dot lists subdomains only, as misp-feedback reads it),
/// for domains, URL hosts and e-mail domains; <c>substring</c> = contained, ignoring case; <c>regex</c> = PCRE-style
/// entries (<c>/…/i</c>) run by the non-backtracking engine where they allow it, always with a timeout. A list
/// applies only to the kinds its <c>matching_attributes</c> name (all kinds when it names none). Thread-safe.
/// </summary>
public sealed class WarninglistFilter
{
    /// <summary>The longest a regex entry may run on one value before the value counts as not covered.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private const uint AllKinds = uint.MaxValue;
    private const uint IpKinds = (1u << (int)IocKind.IPv4) | (1u << (int)IocKind.IPv6) | (1u << (int)IocKind.CidrV4) | (1u << (int)IocKind.CidrV6);
    private const uint HostKinds = (1u << (int)IocKind.Domain) | (1u << (int)IocKind.Url) | (1u << (int)IocKind.Email);

    private readonly string[] _names;
    private readonly uint[] _masks;
    private readonly Dictionary<string, StringEntry[]>.AlternateLookup<ReadOnlySpan<char>> _strings;
    private readonly Dictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _hosts;
    private readonly Dictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _subdomains;
    private readonly bool _anyStrings;
    private readonly bool _anyHosts;
    private readonly PrefixRanges<uint> _v4;
    private readonly (int List, byte Length)[] _v4Entries;
    private readonly PrefixRanges<UInt128> _v6;
    private readonly (int List, byte Length)[] _v6Entries;
    private readonly (int List, SearchValues<string> Values)[] _substrings;
    private readonly (int List, Regex Regex)[] _regexes;
    private long _regexTimeouts;

    private WarninglistFilter(IReadOnlyList<Warninglist> lists)
    {
        _names = new string[lists.Count];
        _masks = new uint[lists.Count];
        var strings = new Dictionary<string, List<StringEntry>>(StringComparer.OrdinalIgnoreCase);
        var hosts = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        var subdomains = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        var v4 = new List<PrefixRanges<uint>.Prefix>();
        var v4Entries = new List<(int, byte)>();
        var v6 = new List<PrefixRanges<UInt128>.Prefix>();
        var v6Entries = new List<(int, byte)>();
        var substrings = new List<(int, SearchValues<string>)>();
        var regexes = new List<(int, Regex)>();
        var problems = new List<IntelProblem>();
        for (var l = 0; l < lists.Count; l++)
        {
            var list = lists[l];
            _names[l] = list.Name;
            _masks[l] = Mask(list);
            var type = list.Type.ToLowerInvariant();
            switch (type)
            {
                case "cidr":
                    foreach (var entry in list.Values)
                    {
                        if (!TryParseNetwork(entry.AsSpan().Trim(), out var network))
                        {
                            problems.Add(new IntelProblem(list.Source, list.Name, $"{MispJson.Quote(entry)} is not an IP address or CIDR network; left out"));
                        }
                        else if (network.IsV6)
                        {
                            v6.Add(new(network.Address, network.Length, v6Entries.Count));
                            v6Entries.Add((l, (byte)network.Length));
                        }
                        else
                        {
                            v4.Add(new((uint)network.Address, network.Length, v4Entries.Count));
                            v4Entries.Add((l, (byte)network.Length));
                        }
                    }

                    break;

                case "hostname":
                    foreach (var entry in list.Values)
                    {
                        var host = entry.Trim().TrimEnd('.');
                        var only = host.StartsWith('.');
                        host = host.TrimStart('.');
                        if (host.Length > 0)
                        {
                            Append(only ? subdomains : hosts, host, l);
                        }
                    }

                    break;

                case "substring":
                    var parts = list.Values.Select(v => v.Trim()).Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
                    if (parts.Length > 0)
                    {
                        substrings.Add((l, SearchValues.Create(parts, StringComparison.OrdinalIgnoreCase)));
                    }

                    break;

                case "regex":
                    foreach (var regex in CompileList(list, problems))
                    {
                        regexes.Add((l, regex));
                    }

                    break;

                default:
                    // string, and anything else MISP would read as string
                    foreach (var entry in list.Values)
                    {
                        var value = entry.Trim();
                        if (value.Length == 0)
                        {
                            continue;
                        }

                        var key = value.EndsWith('.') && value.Length > 1 ? value[..^1] : value;
                        if (!strings.TryGetValue(key, out var found))
                        {
                            strings[key] = found = [];
                        }

                        found.Add(new StringEntry(l, key));
                    }

                    break;
            }
        }

        _strings = strings.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        _hosts = hosts.ToDictionary(p => p.Key, p => p.Value.Distinct().ToArray(), StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        _subdomains = subdomains.ToDictionary(p => p.Key, p => p.Value.Distinct().ToArray(), StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
        _anyStrings = strings.Count > 0;
        _anyHosts = hosts.Count + subdomains.Count > 0;
        _v4 = PrefixRanges<uint>.Build(v4, 32);
        _v4Entries = [.. v4Entries];
        _v6 = PrefixRanges<UInt128>.Build(v6, 128);
        _v6Entries = [.. v6Entries];
        _substrings = [.. substrings];
        _regexes = [.. regexes];
        Problems = problems;
    }

    public static WarninglistFilter Empty { get; } = new([]);

    /// <summary>Warninglists the filter applies.</summary>
    public int Lists => _names.Length;

    /// <summary>Entries that could not be used (left out), named by list.</summary>
    public IReadOnlyList<IntelProblem> Problems { get; }

    /// <summary>How many regex matches ran past <see cref="RegexTimeout"/> (the value then counted as not covered).</summary>
    public long RegexTimeouts => Interlocked.Read(ref _regexTimeouts);

    public static WarninglistFilter Build(IntelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Build(catalog.Warninglists);
    }

    public static WarninglistFilter Build(IEnumerable<Warninglist> lists)
    {
        ArgumentNullException.ThrowIfNull(lists);
        return new WarninglistFilter([.. lists]);
    }

    /// <summary>The name of a list covering the value, or null: the shape <c>IntelSet.Build</c> takes.</summary>
    public string? CoveringList(IocKind kind, string value) => Covers(kind, value, out var name) ? name : null;

    /// <summary>True when a warninglist covers <paramref name="value"/> of <paramref name="kind"/>; <paramref name="listName"/> names it.</summary>
    public bool Covers(IocKind kind, string value, out string listName)
    {
        ArgumentNullException.ThrowIfNull(value);
        listName = "";
        var span = value.AsSpan().Trim();
        if (span.IsEmpty || _names.Length == 0)
        {
            return false;
        }

        var bit = 1u << (int)kind;
        var list = -1;
        if (_anyStrings && ExactCovered(kind, span, bit, out list))
        {
            listName = _names[list];
            return true;
        }

        if ((bit & IpKinds) != 0 && NetworkCovered(span, bit, out list))
        {
            listName = _names[list];
            return true;
        }

        if (_anyHosts && (bit & HostKinds) != 0 && HostCovered(HostOf(kind, span), bit, out list))
        {
            listName = _names[list];
            return true;
        }

        foreach (var (l, values) in _substrings)
        {
            if (Applies(l, bit) && span.IndexOfAny(values) >= 0)
            {
                listName = _names[l];
                return true;
            }
        }

        foreach (var (l, regex) in _regexes)
        {
            if (Applies(l, bit) && IsMatch(regex, span))
            {
                listName = _names[l];
                return true;
            }
        }

        return false;
    }

    /// <summary>Why <paramref name="value"/> cannot be an entry of a list of <paramref name="type"/>, or null when it can.</summary>
    internal static string? Check(string type, string value)
    {
        switch (type)
        {
            case "cidr":
                return TryParseNetwork(value.AsSpan().Trim(), out _) ? null : $"{MispJson.Quote(value)} is not an IP address or CIDR network";
            case "regex":
                if (!TryPattern(value, out var pattern, out var options, out var error))
                {
                    return error;
                }

                try
                {
                    _ = new Regex(pattern, options | RegexOptions.CultureInvariant, RegexTimeout);
                    return null;
                }
                catch (ArgumentException parse)
                {
                    return $"{MispJson.Quote(value)} is not a regular expression .NET can run: {parse.Message}";
                }

            default:
                return null;
        }
    }

    private bool Applies(int list, uint bit) => (_masks[list] & bit) != 0;

    private bool ExactCovered(IocKind kind, ReadOnlySpan<char> span, uint bit, out int list)
    {
        var key = kind == IocKind.Domain && span.Length > 1 && span[^1] == '.' ? span[..^1] : span;
        if (_strings.TryGetValue(key, out var entries))
        {
            var ignoreCase = kind is not (IocKind.Url or IocKind.UserAgent);
            foreach (var entry in entries)
            {
                if (Applies(entry.List, bit) && (ignoreCase || key.SequenceEqual(entry.Value)))
                {
                    list = entry.List;
                    return true;
                }
            }
        }

        list = -1;
        return false;
    }

    private bool NetworkCovered(ReadOnlySpan<char> span, uint bit, out int list)
    {
        list = -1;
        if (!TryParseNetwork(span, out var network))
        {
            return false;
        }

        var postings = network.IsV6 ? _v6.Match(network.Address) : _v4.Match((uint)network.Address);
        var entries = network.IsV6 ? _v6Entries : _v4Entries;
        foreach (var id in postings)
        {
            var (l, length) = entries[id];
            if (length <= network.Length && Applies(l, bit))
            {
                list = l;
                return true;
            }
        }

        return false;
    }

    private bool HostCovered(ReadOnlySpan<char> host, uint bit, out int list)
    {
        list = -1;
        if (host.Length > 1 && host[^1] == '.')
        {
            host = host[..^1];
        }

        var exact = true;
        while (!host.IsEmpty)
        {
            if (_hosts.TryGetValue(host, out var lists) && First(lists, bit, out list))
            {
                return true;
            }

            if (!exact && _subdomains.TryGetValue(host, out lists) && First(lists, bit, out list))
            {
                return true;
            }

            exact = false;
            var dot = host.IndexOf('.');
            if (dot < 0)
            {
                break;
            }

            host = host[(dot + 1)..];
        }

        return false;
    }

    private bool First(int[] lists, uint bit, out int list)
    {
        foreach (var l in lists)
        {
            if (Applies(l, bit))
            {
                list = l;
                return true;
            }
        }

        list = -1;
        return false;
    }

    private bool IsMatch(Regex regex, ReadOnlySpan<char> value)
    {
        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            Interlocked.Increment(ref _regexTimeouts);
            return false;
        }
    }

    /// <summary>The host a hostname list is checked against: the domain, a URL's host, an e-mail address's domain.</summary>
    private static ReadOnlySpan<char> HostOf(IocKind kind, ReadOnlySpan<char> value)
    {
        switch (kind)
        {
            case IocKind.Email:
                return value[(value.LastIndexOf('@') + 1)..];
            case IocKind.Url:
                var scheme = value.IndexOf("://", StringComparison.Ordinal);
                var rest = scheme >= 0 ? value[(scheme + 3)..] : value;
                var end = rest.IndexOfAny('/', '?', '#');
                if (end >= 0)
                {
                    rest = rest[..end];
                }

                rest = rest[(rest.LastIndexOf('@') + 1)..];
                if (rest.StartsWith('['))
                {
                    return [];
                }

                var colon = rest.LastIndexOf(':');
                return colon >= 0 ? rest[..colon] : rest;
            default:
                return value;
        }
    }

    /// <summary>Which kinds a list applies to: its <c>matching_attributes</c> (all when none), within what its type can match.</summary>
    private static uint Mask(Warninglist list)
    {
        var mask = AllKinds;
        if (list.MatchingAttributes.Count > 0)
        {
            mask = 0;
            foreach (var attribute in list.MatchingAttributes)
            {
                mask |= MispAttributeTypes.KindsOf(attribute.Trim());
            }
        }

        return list.Type.ToLowerInvariant() switch
        {
            "cidr" => mask & IpKinds,
            "hostname" => mask & HostKinds,
            _ => mask,
        };
    }

    private static void Append(Dictionary<string, List<int>> map, string key, int list)
    {
        if (!map.TryGetValue(key, out var lists))
        {
            map[key] = lists = [];
        }

        lists.Add(list);
    }

    /// <summary>An address (a /32 or /128) or CIDR network; IPv4-mapped IPv6 is IPv4. The address is masked to the network.</summary>
    private static bool TryParseNetwork(ReadOnlySpan<char> text, out Network network)
    {
        network = default;
        var slash = text.IndexOf('/');
        var address = slash < 0 ? text : text[..slash];
        int? length = null;
        if (slash >= 0)
        {
            var digits = text[(slash + 1)..];
            if (digits.IsEmpty || digits.Length > 3 || !int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }

            length = n;
        }

        if (IocText.TryParseIPv4(address, out var v4))
        {
            var bits = length ?? 32;
            if (bits > 32)
            {
                return false;
            }

            network = new Network(false, PrefixRanges<uint>.Mask(v4, bits, 32), bits);
            return true;
        }

        if (IocText.TryParseIPv6(address, out var v6))
        {
            var bits = length ?? 128;
            if (bits > 128)
            {
                return false;
            }

            if (bits >= 96 && IocText.IsIPv4Mapped(v6, out var mapped))
            {
                network = new Network(false, PrefixRanges<uint>.Mask(mapped, bits - 96, 32), bits - 96);
                return true;
            }

            network = new Network(true, PrefixRanges<UInt128>.Mask(v6, bits, 128), bits);
            return true;
        }

        return false;
    }

    /// <summary>
    /// The list's regex entries compiled: those the non-backtracking engine accepts joined into one alternation
    /// (linear time whatever the input), the rest (backreferences, lookarounds) one by one. All have a timeout.
    /// </summary>
    private static List<Regex> CompileList(Warninglist list, List<IntelProblem> problems)
    {
        var compiled = new List<Regex>();
        var linear = new StringBuilder();
        foreach (var entry in list.Values)
        {
            if (Check("regex", entry) is { } error)
            {
                problems.Add(new IntelProblem(list.Source, list.Name, $"{error}; left out"));
                continue;
            }

            TryPattern(entry, out var pattern, out var options, out _);
            try
            {
                _ = new Regex(pattern, options | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
                var flags = (options.HasFlag(RegexOptions.IgnoreCase) ? "i" : "") + (options.HasFlag(RegexOptions.Multiline) ? "m" : "")
                    + (options.HasFlag(RegexOptions.Singleline) ? "s" : "") + (options.HasFlag(RegexOptions.IgnorePatternWhitespace) ? "x" : "");
                linear.Append(linear.Length == 0 ? "" : "|").Append("(?").Append(flags).Append(':').Append(pattern).Append(flags.Contains('x', StringComparison.Ordinal) ? "\n)" : ")");
            }
            catch (NotSupportedException)
            {
                compiled.Add(new Regex(pattern, options | RegexOptions.CultureInvariant, RegexTimeout));
            }
        }

        if (linear.Length > 0)
        {
            compiled.Insert(0, new Regex(linear.ToString(), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, RegexTimeout));
        }

        return compiled;
    }

    /// <summary>
    /// A PHP-style entry <c>/pattern/flags</c> (MISP runs entries with <c>preg_match</c>) as a .NET pattern and options;
    /// an entry without delimiters is a bare pattern.
    /// </summary>
    private static bool TryPattern(string entry, out string pattern, out RegexOptions options, out string? error)
    {
        pattern = entry;
        options = RegexOptions.None;
        error = null;
        if (entry.Length >= 2 && entry[0] is '/' or '#' or '~' or '!' or '@' or '%' or '+' or '|')
        {
            var close = entry.LastIndexOf(entry[0]);
            if (close <= 0)
            {
                error = $"{MispJson.Quote(entry)} opens with the delimiter '{entry[0]}' but does not close it";
                return false;
            }

            foreach (var flag in entry.AsSpan(close + 1))
            {
                switch (flag)
                {
                    case 'i':
                        options |= RegexOptions.IgnoreCase;
                        break;
                    case 'm':
                        options |= RegexOptions.Multiline;
                        break;
                    case 's':
                        options |= RegexOptions.Singleline;
                        break;
                    case 'x':
                        options |= RegexOptions.IgnorePatternWhitespace;
                        break;
                    case 'u' or 'D':
                        break;
                    default:
                        error = $"{MispJson.Quote(entry)} has the flag '{flag}', which is not one of i, m, s, x, u, D";
                        return false;
                }
            }

            pattern = entry[1..close];
        }

        return true;
    }

    private readonly record struct StringEntry(int List, string Value);

    private readonly record struct Network(bool IsV6, UInt128 Address, int Length);
}
