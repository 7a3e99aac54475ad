using Bulwark.Core.Intel.Index;

namespace Bulwark.Core.Intel.Matching;

/// <summary>
/// Looks up the fields of one web request in an <see cref="IntelSet"/>: client address (exact and CIDR), user agent,
/// requested path (file-path indicators under a web root, and file names), user (e-mail addresses) and referer
/// (URLs and domains). Kinds the index holds nothing of are skipped, so a small intel set costs little per line.
/// The same code serves the line probe (first hit is enough) and the detector (every hit, with where it was seen).
/// </summary>
internal sealed class RequestMatcher
{
    private readonly IntelSet _intel;
    private readonly IocIndex _index;
    private readonly bool _addresses;
    private readonly bool _agents;
    private readonly bool _names;
    private readonly bool _paths;
    private readonly bool _emails;
    private readonly bool _urls;

    public RequestMatcher(IntelSet intel)
    {
        _intel = intel;
        _index = intel.Index;
        _addresses = _index.CountOf(IocKind.IPv4) + _index.CountOf(IocKind.IPv6) + _index.CountOf(IocKind.CidrV4) + _index.CountOf(IocKind.CidrV6) > 0;
        _agents = _index.CountOf(IocKind.UserAgent) > 0;
        _names = _index.CountOf(IocKind.FileName) > 0;
        _paths = intel.WebPathCount > 0;
        _emails = _index.CountOf(IocKind.Email) > 0;
        _urls = _index.CountOf(IocKind.Url) + _index.CountOf(IocKind.Domain) > 0;
    }

    /// <summary>True when the intel set holds anything a web request can hit.</summary>
    public bool Any => _addresses || _agents || _names || _paths || _emails || _urls;

    /// <summary>Which of <see cref="RequestFields"/> are worth reading.</summary>
    public bool Wants(int field) => field switch
    {
        RequestFields.ClientIp => _addresses,
        RequestFields.UserAgent => _agents,
        RequestFields.UriStem => _paths || _names,
        RequestFields.User => _emails,
        RequestFields.Referer => _urls,
        _ => false,
    };

    /// <summary>
    /// Matches one field's value. With <paramref name="hits"/> null, returns at the first hit; otherwise adds every
    /// hit (named <paramref name="fieldName"/>). IIS writes spaces in user agents as '+': <paramref name="plusIsSpace"/>.
    /// </summary>
    public bool Match(int field, ReadOnlySpan<char> value, bool plusIsSpace, string fieldName, List<IntelHit>? hits)
    {
        if (value.IsEmpty || value is "-")
        {
            return false;
        }

        switch (field)
        {
            case RequestFields.ClientIp when _addresses:
                return Add(_index.Match(WithoutPort(value)), fieldName, value, hits);
            case RequestFields.UserAgent when _agents:
                if (plusIsSpace && value.Contains('+'))
                {
                    // IIS writes spaces as '+' but leaves a real '+' as it is: "(compatible;+Baiduspider/2.0;++http://…)"
                    // is "(compatible; Baiduspider/2.0; +http://…)". A '+' after '(' or after another '+' is taken as real;
                    // when that reading misses, every '+' as a space is tried too.
                    Span<char> spaced = value.Length <= 1024 ? stackalloc char[value.Length] : new char[value.Length];
                    var differs = false;
                    for (var i = 0; i < value.Length; i++)
                    {
                        var real = value[i] == '+' && i > 0 && value[i - 1] is '(' or '+';
                        spaced[i] = value[i] == '+' && !real ? ' ' : value[i];
                        differs |= real;
                    }

                    if (Add(_index.MatchUserAgent(spaced), fieldName, value, hits))
                    {
                        return true;
                    }

                    if (!differs)
                    {
                        return false;
                    }

                    value.Replace(spaced, '+', ' ');
                    return Add(_index.MatchUserAgent(spaced), fieldName, value, hits);
                }

                return Add(_index.MatchUserAgent(value), fieldName, value, hits);
            case RequestFields.UriStem:
                var any = false;
                if (_paths)
                {
                    var ids = _intel.MatchWebPath(value);
                    if (!ids.IsEmpty)
                    {
                        if (hits is null)
                        {
                            return true;
                        }

                        foreach (var id in ids)
                        {
                            hits.Add(new IntelHit(id, fieldName, value.ToString()));
                        }

                        any = true;
                    }
                }

                if (_names && (hits is not null || !any))
                {
                    any |= Add(_index.MatchFileName(value), fieldName, value, hits);
                }

                return any;
            case RequestFields.User when _emails && value.Contains('@'):
                return Add(_index.MatchEmail(value), fieldName, value, hits);
            case RequestFields.Referer when _urls:
                return Add(_index.MatchUrl(value), fieldName, value, hits);
            default:
                return false;
        }
    }

    private static bool Add(IocMatches matches, string fieldName, ReadOnlySpan<char> value, List<IntelHit>? hits)
    {
        if (matches.IsEmpty)
        {
            return false;
        }

        if (hits is not null)
        {
            var observed = value.ToString();
            foreach (var id in matches)
            {
                hits.Add(new IntelHit(id, fieldName, observed));
            }
        }

        return true;
    }

    /// <summary>"203.0.113.5:51234" → "203.0.113.5"; "[2001:db8::1]:443" → "2001:db8::1"; IPv6 keeps its colons.</summary>
    internal static ReadOnlySpan<char> WithoutPort(ReadOnlySpan<char> value)
    {
        if (value.Length > 0 && value[0] == '[')
        {
            var close = value.IndexOf(']');
            return close > 0 ? value[1..close] : value;
        }

        var colon = value.IndexOf(':');
        return colon > 0 && value[(colon + 1)..].IndexOf(':') < 0 ? value[..colon] : value;
    }
}
