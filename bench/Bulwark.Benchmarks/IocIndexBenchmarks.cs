using BenchmarkDotNet.Attributes;
using Bulwark.Core.Intel.Index;

namespace Bulwark.Benchmarks;

/// <summary>
/// The IOC index at feed scale: 1,000,000 deterministic pseudo-random indicators (40% IPv4, 5% CIDR, 25% domains,
/// 10% URLs, 20% SHA-256). Build time and allocation, then typed lookups over 4,096 queries per kind, half hits and
/// half misses (subdomains of indexed domains count as hits); and those queries mixed in the proportions of the
/// index's kinds (45% IP, 25% domain, 10% URL, 20% SHA-256), each dispatched by its kind as a reader does. A URL
/// lookup is two lookups: the exact URL, then its host's domain walk. The same mixed stream with one hit in a
/// hundred (<see cref="MatchMixedFewHits"/>) is what a scan of ordinary logs sends. Targets: build &lt; 3 s and
/// &lt; 250 MB; ≥ 5 M typed lookups per second per core.
/// </summary>
[MemoryDiagnoser]
public class IocIndexBenchmarks
{
    private const int Total = 1_000_000;
    private const int Queries = 4096;

    private IocIndicator[] _indicators = [];
    private IocIndex _index = null!;
    private string[] _ipQueries = [];
    private string[] _domainQueries = [];
    private string[] _urlQueries = [];
    private string[] _hashQueries = [];
    private IocKind[] _mixedKinds = [];
    private string[] _mixedQueries = [];
    private string[] _fewHitQueries = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20260301);
        _indicators = new IocIndicator[Total];
        var ips = new List<string>();
        var domains = new List<string>();
        var urls = new List<string>();
        var hashes = new List<string>();
        Span<byte> digest = stackalloc byte[32];
        for (var i = 0; i < Total; i++)
        {
            var roll = random.Next(100);
            var source = "feed-" + random.Next(20);
            (IocKind kind, string value) = roll switch
            {
                < 40 => (IocKind.IPv4, Ip(random)),
                < 45 => (IocKind.CidrV4, $"{Ip(random)}/{random.Next(12, 31)}"),
                < 70 => (IocKind.Domain, Domain(random)),
                < 80 => (IocKind.Url, $"https://{Domain(random)}/{Label(random)}/{Label(random)}.php?id={random.Next()}"),
                _ => (IocKind.Sha256, Sha256(random, digest)),
            };
            _indicators[i] = new IocIndicator(kind, value, source) { Confidence = random.Next(101), Tlp = (Tlp)random.Next(5) };
            (kind switch
            {
                IocKind.IPv4 => ips,
                IocKind.Domain => domains,
                IocKind.Url => urls,
                IocKind.Sha256 => hashes,
                _ => [],
            }).Add(value);
        }

        _index = Build();
        _ipQueries = Mix(random, ips, r => Ip(r));
        _domainQueries = Mix(random, domains.Select(d => "www." + d).ToList(), Domain);
        _urlQueries = Mix(random, urls, r => $"https://{Domain(r)}/{Label(r)}/x.php");
        _hashQueries = Mix(random, hashes.Select(h => h.ToUpperInvariant()).ToList(), r => Sha256(r, new byte[32]));
        _mixedKinds = new IocKind[Queries];
        _mixedQueries = new string[Queries];
        _fewHitQueries = new string[Queries];
        for (var i = 0; i < Queries; i++)
        {
            var roll = random.Next(100);
            (_mixedKinds[i], var from) = roll switch
            {
                < 45 => (IocKind.IPv4, _ipQueries),
                < 70 => (IocKind.Domain, _domainQueries),
                < 80 => (IocKind.Url, _urlQueries),
                _ => (IocKind.Sha256, _hashQueries),
            };
            _mixedQueries[i] = from[random.Next(Queries)];

            // Even positions of each pool are hits and odd ones misses: one query in a hundred is a hit.
            _fewHitQueries[i] = from[(2 * random.Next(Queries / 2)) + (random.Next(100) == 0 ? 0 : 1)];
        }
    }

    [Benchmark]
    public IocIndex BuildIndex() => Build();

    [Benchmark(OperationsPerInvoke = Queries)]
    public int MatchIpText()
    {
        var hits = 0;
        foreach (var q in _ipQueries)
        {
            hits += _index.Match(q).Count;
        }

        return hits;
    }

    [Benchmark(OperationsPerInvoke = Queries)]
    public int MatchDomain()
    {
        var hits = 0;
        foreach (var q in _domainQueries)
        {
            hits += _index.MatchDomain(q).Count;
        }

        return hits;
    }

    [Benchmark(OperationsPerInvoke = Queries)]
    public int MatchUrl()
    {
        var hits = 0;
        foreach (var q in _urlQueries)
        {
            hits += _index.MatchUrl(q).Count;
        }

        return hits;
    }

    [Benchmark(OperationsPerInvoke = Queries)]
    public int MatchSha256()
    {
        var hits = 0;
        foreach (var q in _hashQueries)
        {
            hits += _index.MatchHash(q).Count;
        }

        return hits;
    }

    [Benchmark(OperationsPerInvoke = Queries)]
    public int MatchMixed() => MatchAll(_mixedQueries);

    [Benchmark(OperationsPerInvoke = Queries)]
    public int MatchMixedFewHits() => MatchAll(_fewHitQueries);

    private int MatchAll(string[] queries)
    {
        var hits = 0;
        for (var i = 0; i < queries.Length; i++)
        {
            var q = queries[i];
            hits += _mixedKinds[i] switch
            {
                IocKind.IPv4 => _index.Match(q).Count,
                IocKind.Domain => _index.MatchDomain(q).Count,
                IocKind.Url => _index.MatchUrl(q).Count,
                _ => _index.MatchHash(q).Count,
            };
        }

        return hits;
    }

    private IocIndex Build()
    {
        var builder = new IocIndexBuilder(Total);
        foreach (var indicator in _indicators)
        {
            builder.Add(indicator);
        }

        return builder.Build();
    }

    /// <summary>
    /// Half hits, half misses. A hit is a copy of an indicator's value, made here beside the other queries, as a
    /// reader makes its values from the line it has just read: the indicators' own strings lie scattered over the
    /// few hundred megabytes the setup allocated, and reading one would add a cache miss no reader's query has.
    /// </summary>
    private static string[] Mix(Random random, List<string> hits, Func<Random, string> miss)
    {
        var queries = new string[Queries];
        for (var i = 0; i < Queries; i++)
        {
            queries[i] = i % 2 == 0 ? new string(hits[random.Next(hits.Count)]) : miss(random);
        }

        return queries;
    }

    private static string Ip(Random r) => $"{r.Next(1, 224)}.{r.Next(256)}.{r.Next(256)}.{r.Next(256)}";

    private static string Label(Random r)
    {
        Span<char> chars = stackalloc char[r.Next(4, 12)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)('a' + r.Next(26));
        }

        return new string(chars);
    }

    private static string Domain(Random r) => $"{Label(r)}.{Label(r)}.{(r.Next(3) switch { 0 => "com", 1 => "net", _ => "ru" })}";

    private static string Sha256(Random r, Span<byte> digest)
    {
        r.NextBytes(digest);
        return Convert.ToHexStringLower(digest);
    }
}
