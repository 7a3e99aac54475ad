using System.Text;
using BenchmarkDotNet.Attributes;
using Bulwark.Core.Detection;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Matching;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Sources;
using Bulwark.Core.Sources.Exchange;
using Bulwark.Core.Sources.Iis;
using Bulwark.Core.Sources.Text;

namespace Bulwark.Benchmarks;

/// <summary>
/// What intel costs per log line during a scan: the intel line probe (read the client address, user agent, path, user
/// and referer columns from the raw bytes and look them up) on benign lines, with 1,000,000 indicators loaded
/// (40% IPv4, 5% networks, 25% domains, 10% URLs, 20% SHA-256, as bench/intel-scan.sh generates). Lines cycle
/// through 4,096 distinct client addresses and referers, more than a probe's cache of recent misses holds, so each
/// operation pays for the split and the lookups.
/// </summary>
[MemoryDiagnoser]
public class IntelProbeBenchmarks
{
    private const string IisFields = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";
    private const string IisLine = "2021-03-03 07:39:04 10.0.0.5 POST /owa/auth/logon.aspx replaceCurrent=1&url=https%3a%2f%2fmail.contoso.org%2fowa%2f 443 - 100.78.12.42 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/89.0.4389.82+Safari/537.36 https://mail.contoso.org/owa/ 302 0 0 15";
    private const string ProxyFields = "DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,ErrorCode,Method";
    private const string ProxyRow = "2021-03-03T07:39:04.123Z,4c6e4ec2-7d0a-4b37-8f0e-1b2a9c4d5e6f,15,1,2106,2,,Ecp,mail.contoso.org,/ecp/DDI/DDIService.svc/GetList,,Negotiate,true,CONTOSO\\admin,,SMTP:admin@contoso.org,Mozilla/5.0 (Windows NT 10.0; Win64; x64),100.78.12.9,EX01,200,200,,POST";

    private const int Lines = 4096;

    private byte[][] _iis = [];
    private byte[][] _proxy = [];
    private ColumnProbe _iisProbe = null!;
    private ColumnProbe _proxyProbe = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var catalog = new IntelCatalog();
        catalog.AddSource(new IntelSource("bench", IntelFormat.PlainList));
        var random = new Random(20260301);
        for (var i = 0; i < 1_000_000; i++)
        {
            var roll = random.Next(100);
            var (kind, value) = roll switch
            {
                < 40 => (IocKind.IPv4, Ip(random)),
                < 45 => (IocKind.CidrV4, $"{Ip(random)}/{random.Next(24, 33)}"),
                < 70 => (IocKind.Domain, Label(random) + "." + Label(random) + ".com"),
                < 80 => (IocKind.Url, $"https://{Label(random)}.{Label(random)}.net/{Label(random)}.php"),
                _ => (IocKind.Sha256, Convert.ToHexStringLower(random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 32))),
            };
            catalog.Add(new IocIndicator(kind, value, "bench"));
        }

        var detector = new IntelLogDetector(IntelSet.Build(catalog));
        _iisProbe = detector.Selector!.ForSchema(new LogSchema(IisFields.Split(' ')), W3cFormat.Instance)!;
        _proxyProbe = detector.Selector!.ForSchema(new LogSchema(ProxyFields.Split(',')), HttpProxyFormat.Instance)!;
        _iis = [.. Enumerable.Range(0, Lines).Select(i => Encoding.UTF8.GetBytes(IisLine
            .Replace("100.78.12.42", Ip(random), StringComparison.Ordinal)
            .Replace("https://mail.contoso.org/owa/", $"https://{Label(random)}.contoso.org/owa/", StringComparison.Ordinal)))];
        _proxy = [.. Enumerable.Range(0, Lines).Select(i => Encoding.UTF8.GetBytes(ProxyRow.Replace("100.78.12.9", Ip(random), StringComparison.Ordinal)))];
    }

    [Benchmark]
    public bool IisLineProbe() => Probe(_iisProbe, _iis[_next++ & (Lines - 1)], (byte)' ', quoted: false);

    [Benchmark]
    public bool HttpProxyRowProbe() => Probe(_proxyProbe, _proxy[_next++ & (Lines - 1)], (byte)',', quoted: true);

    private static bool Probe(ColumnProbe probe, byte[] line, byte separator, bool quoted)
    {
        Span<Range> fields = stackalloc Range[probe.Columns.Length];
        FieldSplitter.Split(line, probe.Columns, separator, quoted, fields);
        return probe.Test(line, fields);
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
}
