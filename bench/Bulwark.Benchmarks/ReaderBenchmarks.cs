using System.Text;
using BenchmarkDotNet.Attributes;
using Bulwark.Core.Detection.Exchange;
using Bulwark.Core.Indicators;
using Bulwark.Core.Scanning;
using Bulwark.Core.Sources;
using Bulwark.Core.Sources.Text;

namespace Bulwark.Benchmarks;

/// <summary>
/// The text-log hot path on a 64 MiB IIS log: the pre-filtered scan Bulwark uses, against reading every line
/// with a StreamReader and testing the same literals (what a straightforward reader would do).
/// </summary>
[MemoryDiagnoser]
public class ReaderBenchmarks
{
    private byte[] _log = [];
    private LineScanner _scanner = null!;
    private string[] _literals = [];

    [GlobalSetup]
    public void Setup()
    {
        _log = SampleLogs.Iis(64 << 20);
        var detectors = ExchangeLogDetectors.CreateDefault(ExchangeIndicators.BuiltIn).Where(d => d.Kinds.Contains(LogKind.Iis));
        _literals = [.. detectors.SelectMany(d => d.Prefilter).Distinct(StringComparer.OrdinalIgnoreCase)];
        _scanner = new LineScanner(_literals);
    }

    [Benchmark(Baseline = true)]
    public int StreamReaderEveryLine()
    {
        using var reader = new StreamReader(new MemoryStream(_log), Encoding.UTF8);
        var hits = 0;
        while (reader.ReadLine() is { } line)
        {
            foreach (var literal in _literals)
            {
                if (line.Contains(literal, StringComparison.OrdinalIgnoreCase))
                {
                    hits++;
                    break;
                }
            }
        }

        return hits;
    }

    [Benchmark]
    public int LineScannerPrefiltered()
    {
        var hits = 0;
        _scanner.Scan(new MemoryStream(_log), () => false, (_, _) => hits++);
        return hits;
    }
}
