using BenchmarkDotNet.Attributes;
using Bulwark.Core.Detection;
using Bulwark.Core.Detection.Exchange;
using Bulwark.Core.Findings;
using Bulwark.Core.Indicators;
using Bulwark.Core.Sources;
using Bulwark.Core.Sources.Exchange;
using Bulwark.Core.Sources.Iis;
using Bulwark.Core.Sources.Text;

namespace Bulwark.Benchmarks;

/// <summary>Per-line cost once a benign line passed the pre-filter (the common case): parse, then every detector of its kind.</summary>
[MemoryDiagnoser]
public class DetectionBenchmarks
{
    private const string IisLine = "2021-03-03 07:39:04 10.0.0.5 POST /owa/auth/logon.aspx replaceCurrent=1&url=https%3a%2f%2fmail.contoso.org%2fowa%2f 443 - 10.1.0.42 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/89.0.4389.82+Safari/537.36 - 302 0 0 15";
    private const string ProxyRow = "2021-03-03T07:39:04.123Z,4c6e4ec2-7d0a-4b37-8f0e-1b2a9c4d5e6f,15,1,2106,2,,Ecp,mail.contoso.org,/ecp/DDI/DDIService.svc/GetList,,Negotiate,true,CONTOSO\\admin,,SMTP:admin@contoso.org,Mozilla/5.0 (Windows NT 10.0; Win64; x64),10.1.0.9,EX01,200,200,,POST,Proxy,ex01.contoso.local,15.01.2106.002,WebServiceUrl,AnchorMailboxHeader,Server~ex01.contoso.local~1942062522,,,,,,";

    private readonly FindingCollector _findings = new();
    private ILogDetector[] _iisDetectors = [];
    private ILogDetector[] _proxyDetectors = [];
    private LogFileState _iisState = null!;
    private LogFileState _proxyState = null!;

    [GlobalSetup]
    public void Setup()
    {
        var all = ExchangeLogDetectors.CreateDefault(ExchangeIndicators.BuiltIn);
        _iisDetectors = [.. all.Where(d => d.Kinds.Contains(LogKind.Iis))];
        _proxyDetectors = [.. all.Where(d => d.Kinds.Contains(LogKind.HttpProxy))];
        _iisState = new LogFileState("u_ex210303.log", null);
        W3cFormat.Instance.OnDirective("#Fields: " + SampleLogs.IisFields, 4, _iisState);
        _proxyState = new LogFileState("HttpProxy.LOG", "Ecp");
        HttpProxyFormat.Instance.OnDirective(
            "#Fields: DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,ErrorCode,Method,ProxyAction,TargetServer,TargetServerVersion,RoutingType,RoutingHint,BackEndCookie,ServerLocatorHost,ServerLocatorLatency,RequestBytes,ResponseBytes,UrlQuery,BackEndGenericInfo,GenericInfo,GenericErrors",
            5,
            _proxyState);
    }

    [Benchmark]
    public int IisParseAndDetect()
    {
        var e = W3cFormat.Instance.Parse(IisLine, 10, _iisState, out _)!;
        foreach (var d in _iisDetectors)
        {
            d.Inspect(e, _findings);
        }

        return e.FieldCount;
    }

    [Benchmark]
    public int HttpProxyParseAndDetect()
    {
        var e = HttpProxyFormat.Instance.Parse(ProxyRow, 10, _proxyState, out _)!;
        foreach (var d in _proxyDetectors)
        {
            d.Inspect(e, _findings);
        }

        return e.FieldCount;
    }
}
