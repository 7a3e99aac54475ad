using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Bulwark.Core.Detection.Files;
using Bulwark.Core.Findings;
using Bulwark.Core.Indicators;
using Bulwark.Core.Sources;

namespace Bulwark.Benchmarks;

/// <summary>Web-shell checks on one page under the Exchange web root: a benign 48 KB page (the common case), in ASCII and UTF-16.</summary>
[MemoryDiagnoser]
public class FileDetectionBenchmarks
{
    private const string Path = "Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/logon.aspx";

    private readonly FindingCollector _findings = new();
    private WebShellDetector _detector = null!;
    private FileFacts _ascii = null!;
    private FileFacts _wide = null!;

    [GlobalSetup]
    public void Setup()
    {
        _detector = new WebShellDetector(ExchangeIndicators.BuiltIn);
        var page = new StringBuilder("<%@ Page Language=\"C#\" AutoEventWireup=\"true\" Inherits=\"Microsoft.Exchange.HttpProxy.Logon\" %>\n<!DOCTYPE html>\n<html><head><title>Outlook</title></head><body>\n");
        while (page.Length < 48 * 1024)
        {
            page.Append("<div class=\"signInInputLabel\" id=\"userNameLabel\" aria-hidden=\"true\"><%=Strings.GetHtmlEncoded(Strings.UserName)%></div>\n");
        }

        page.Append("</body></html>\n");
        _ascii = Facts(Encoding.UTF8.GetBytes(page.ToString()));
        _wide = Facts(Encoding.Unicode.GetBytes(page.ToString()));
    }

    [Benchmark]
    public long BenignPageAscii()
    {
        _detector.Inspect(_ascii, _findings);
        return _findings.Hits;
    }

    [Benchmark]
    public long BenignPageUtf16()
    {
        _detector.Inspect(_wide, _findings);
        return _findings.Hits;
    }

    private static FileFacts Facts(byte[] content) => new()
    {
        Path = Path,
        Length = content.Length,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
        Head = content,
    };
}
