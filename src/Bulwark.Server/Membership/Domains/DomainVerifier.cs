using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Membership.Domains;

/// <summary>What the DNS said about a domain's verification record.</summary>
public enum DnsVerdict
{
    /// <summary>The expected TXT record is there.</summary>
    Verified,

    /// <summary>The name has TXT records, none of them the expected one.</summary>
    WrongRecord,

    /// <summary>The name exists and has no TXT record.</summary>
    NoRecord,

    /// <summary>The name does not exist (NXDOMAIN).</summary>
    NoSuchDomain,

    /// <summary>The resolver answered with an error (SERVFAIL, REFUSED…).</summary>
    ResolverError,

    /// <summary>No resolver answered in time.</summary>
    Timeout,
}

/// <summary>The outcome of one lookup: the verdict, the TXT values found (at most 10, each cut to 255 characters) and the resolver's code.</summary>
public sealed record DnsCheck(DnsVerdict Verdict, IReadOnlyList<string> Found, string? ResponseCode);

/// <summary>Looks up <c>bulwark-verification=&lt;token&gt;</c> in the TXT records at a domain's apex, uncached.</summary>
public sealed class DomainVerifier
{
    public const string RecordPrefix = "bulwark-verification=";

    private readonly LookupClient _client;

    public DomainVerifier(IOptions<DnsOptions> options)
    {
        var dns = options.Value;
        var endPoints = dns.EndPoints();
        var lookup = endPoints.Count > 0 ? new LookupClientOptions([.. endPoints]) : new LookupClientOptions();
        lookup.UseCache = false;
        lookup.Timeout = dns.Timeout;
        lookup.Retries = dns.Retries;
        lookup.ThrowDnsErrors = false;
        lookup.UseTcpFallback = true;
        lookup.ContinueOnDnsError = false;
        _client = new LookupClient(lookup);
    }

    public static string ExpectedRecord(string token) => RecordPrefix + token;

    public async Task<DnsCheck> CheckAsync(string domain, string token, CancellationToken ct)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(domain, QueryType.TXT, QueryClass.IN, ct);
        }
        catch (DnsResponseException e) when (e.Code == DnsResponseCode.ConnectionTimeout)
        {
            return new DnsCheck(DnsVerdict.Timeout, [], null);
        }
        catch (DnsResponseException e)
        {
            return new DnsCheck(DnsVerdict.ResolverError, [], e.Code.ToString());
        }

        var code = (DnsResponseCode)response.Header.ResponseCode;
        if (code == DnsResponseCode.NotExistentDomain)
        {
            return new DnsCheck(DnsVerdict.NoSuchDomain, [], code.ToString());
        }

        if (code != DnsResponseCode.NoError)
        {
            return new DnsCheck(DnsVerdict.ResolverError, [], code.ToString());
        }

        // A long TXT value arrives as several strings of at most 255 bytes: they form one value.
        var values = response.Answers.OfType<TxtRecord>()
            .Where(r => string.Equals(r.DomainName.Value.TrimEnd('.'), domain, StringComparison.OrdinalIgnoreCase))
            .Select(r => string.Concat(r.Text))
            .ToList();
        if (values.Count == 0)
        {
            return new DnsCheck(DnsVerdict.NoRecord, [], code.ToString());
        }

        var expected = ExpectedRecord(token);
        if (values.Any(v => string.Equals(v.Trim(), expected, StringComparison.Ordinal)))
        {
            return new DnsCheck(DnsVerdict.Verified, [expected], code.ToString());
        }

        return new DnsCheck(DnsVerdict.WrongRecord, [.. values.Take(10).Select(v => v.Length > 255 ? v[..255] + "…" : v)], code.ToString());
    }
}
