using System.CommandLine;
using System.Globalization;
using Bulwark.Cli.Rendering;
using Bulwark.Core.Detection;
using Bulwark.Core.Detection.Exchange;
using Bulwark.Core.Detection.Files;
using Bulwark.Core.Findings;
using Bulwark.Core.Indicators;
using Bulwark.Core.Reporting;
using Bulwark.Core.Scanning;

namespace Bulwark.Cli.Commands;

/// <summary><c>bulwark scan PATH</c>: hunt Exchange compromise in a log tree, loose logs or archives.</summary>
public sealed class ScanCommand
{
    private static readonly string[] TimeFormats = ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss"];

    private readonly CliContext _context;

    private ScanCommand(CliContext context) => _context = context;

    public static Command Create(CliContext context)
    {
        var path = new Argument<string?>("path")
        {
            Description = "Directory tree (e.g. a copy of the server's V15\\Logging and inetpub folders), log file, or .zip/.gz/.tar.gz archive.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output format: table, json, jsonl, csv or html.",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong([.. ReportFormats.Names]);
        var output = new Option<string?>("--output", "-o") { Description = "Write results to FILE instead of standard output." };
        var from = new Option<string?>("--from") { Description = "Ignore log lines before this time (UTC), e.g. 2021-01-01 or 2021-03-02T08:00:00Z." };
        var to = new Option<string?>("--to") { Description = "Ignore log lines after this time (UTC)." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress or summary on standard error." };
        var threads = new Option<int>("--threads", "-t")
        {
            Description = "Files scanned in parallel (default: processor count).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var listPrefilter = new Option<bool>("--list-prefilter") { Description = "Print the pre-filter literals (one per line) and exit." };
        var baselines = new Option<string?>("--baselines")
        {
            Description = "Known-good Exchange web files (path,sha256,builds CSV, e.g. from microsoft/CSS-Exchange baselines) to compare the web folders against; needs --build.",
        };
        var builds = new Option<string[]>("--build")
        {
            Description = "Exchange build(s) of the scanned server for --baselines, e.g. 15.1.2106.2.",
            AllowMultipleArgumentsPerToken = true,
        };

        var command = new Command("scan", "Hunt for Exchange compromise (ProxyLogon, ProxyShell, ProxyNotShell, OWASSRF, web shells) in logs and files.")
        {
            path, format, output, from, to, quiet, threads, listPrefilter, baselines, builds,
        };
        var handler = new ScanCommand(context);
        command.SetAction(parsed => handler.Execute(new Request(
            parsed.GetValue(path),
            parsed.GetValue(format)!,
            parsed.GetValue(output),
            parsed.GetValue(from),
            parsed.GetValue(to),
            parsed.GetValue(quiet),
            parsed.GetValue(threads),
            parsed.GetValue(listPrefilter),
            parsed.GetValue(baselines),
            parsed.GetValue(builds) ?? [])));
        return command;
    }

    private int Execute(Request request)
    {
        var indicators = ExchangeIndicators.BuiltIn;
        var logDetectors = ExchangeLogDetectors.CreateDefault(indicators);
        if (request.ListPrefilter)
        {
            foreach (var literal in Scanner.PrefilterLiterals(logDetectors))
            {
                _context.Out.WriteLine(literal);
            }

            return ExitCodes.Clean;
        }

        if (string.IsNullOrWhiteSpace(request.Path))
        {
            return Usage("a PATH to scan is required");
        }

        if (!File.Exists(request.Path) && !Directory.Exists(request.Path))
        {
            return Usage($"{request.Path}: no such file or directory");
        }

        ReportFormats.TryParse(request.Format, out var format);
        if (!TryParseTime(request.From, "--from", out var from) || !TryParseTime(request.To, "--to", out var to))
        {
            return ExitCodes.UsageError;
        }

        if (from is not null && to is not null && from > to)
        {
            return Usage("--from is later than --to");
        }

        if (request.Threads < 1)
        {
            return Usage("--threads must be at least 1");
        }

        ExchangeWebBaseline? baseline = null;
        if (!string.IsNullOrEmpty(request.Baselines))
        {
            if (request.Builds.Length == 0)
            {
                return Usage("--baselines needs the server's build: add --build, e.g. --build 15.1.2106.2");
            }

            try
            {
                baseline = ExchangeWebBaseline.Load(request.Baselines, request.Builds);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
            {
                return Usage($"--baselines: {ex.Message}");
            }
        }

        var options = new ScanOptions
        {
            Threads = request.Threads,
            From = from,
            To = to,
            LogDetectors = logDetectors,
            FileDetectors = FileDetectors.CreateDefault(indicators, baseline),
        };

        var scanner = new Scanner(options);
        var counters = new ScanCounters();
        var showProgress = !request.Quiet && _context.ErrorIsTerminal;
        ScanResult result;
        try
        {
            result = showProgress
                ? ProgressDisplay.Run(_context.Error, counters, () => scanner.Scan(request.Path, counters))
                : scanner.Scan(request.Path, counters);
        }
        catch (FileNotFoundException ex)
        {
            return Usage(ex.Message);
        }

        foreach (var error in result.Errors)
        {
            _context.Error.WriteLine(error.ToString());
        }

        if (!WriteResults(result, format, request.Output))
        {
            return ExitCodes.UsageError;
        }

        if (!request.Quiet)
        {
            _context.Error.WriteLine(Summary.Line(result));
        }

        return result.Findings.Count > 0 ? ExitCodes.Findings : ExitCodes.Clean;
    }

    private bool WriteResults(ScanResult result, ReportFormat format, string? outputPath)
    {
        TextWriter writer;
        var toFile = !string.IsNullOrEmpty(outputPath) && outputPath != "-";
        try
        {
            writer = toFile
                ? new StreamWriter(outputPath!, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false))
                : _context.Out;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DirectoryNotFoundException)
        {
            Usage($"{outputPath}: cannot write: {ex.Message}");
            return false;
        }

        try
        {
            var reportWriter = ReportWriterFactory.Create(format, CliContext.Version);
            if (reportWriter is null)
            {
                FindingTable.Write(result, writer, ansi: !toFile && _context.OutIsTerminal);
            }
            else
            {
                reportWriter.Write(result, writer);
            }

            writer.Flush();
        }
        finally
        {
            if (toFile)
            {
                writer.Dispose();
            }
        }

        return true;
    }

    private bool TryParseTime(string? text, string option, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateTimeOffset.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }

        Usage($"{option} '{text}': expected a UTC date or time such as 2021-03-02 or 2021-03-02T08:00:00Z");
        return false;
    }

    private int Usage(string message)
    {
        _context.Error.WriteLine($"bulwark scan: {message}");
        return ExitCodes.UsageError;
    }

    private sealed record Request(string? Path, string Format, string? Output, string? From, string? To, bool Quiet, int Threads, bool ListPrefilter, string? Baselines, string[] Builds);
}
