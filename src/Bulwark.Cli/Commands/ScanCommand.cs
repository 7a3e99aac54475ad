using System.CommandLine;
using System.Globalization;
using Bulwark.Cli.Rendering;
using Bulwark.Cli.Submission;
using Bulwark.Core.Detection;
using Bulwark.Core.Detection.Exchange;
using Bulwark.Core.Detection.Files;
using Bulwark.Core.Findings;
using Bulwark.Core.Indicators;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Matching;
using Bulwark.Core.Intel.Model;
using Bulwark.Cli.Commands.Intel;
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

        var intel = new Option<string[]>("--intel")
        {
            Description = "Match every request and file against threat intelligence: an intel file or folder (STIX, MISP, lists), 'store' for the local store (bulwark intel import), or 'starter' for the intelligence shipped with Bulwark. Repeatable.",
            AllowMultipleArgumentsPerToken = true,
        };

        var submit = new Option<string?>("--submit")
        {
            Description = "After scanning, send the findings (never the logs) to this Bulwark server, e.g. https://bulwark.example.org; needs --key or BULWARK_API_KEY.",
        };
        var key = new Option<string?>("--key")
        {
            Description = $"The organisation's ingest key for --submit (or set {FindingSubmitter.EnvironmentKey}, which keeps it out of the process list).",
        };

        var command = new Command("scan", "Hunt for Exchange compromise (ProxyLogon, ProxyShell, ProxyNotShell, OWASSRF, web shells) in logs and files.")
        {
            path, format, output, from, to, quiet, threads, listPrefilter, baselines, builds, intel, submit, key,
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
            parsed.GetValue(builds) ?? [],
            parsed.GetValue(intel) ?? [],
            parsed.GetValue(submit),
            parsed.GetValue(key))));
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

        Uri? server = null;
        var submitKey = request.Key ?? Environment.GetEnvironmentVariable(FindingSubmitter.EnvironmentKey);
        if (request.Submit is not null)
        {
            if (FindingSubmitter.CheckServer(request.Submit, out server) is { } problem)
            {
                return Usage(problem);
            }

            if (string.IsNullOrWhiteSpace(submitKey))
            {
                return Usage($"--submit needs the organisation's ingest key: --key KEY, or {FindingSubmitter.EnvironmentKey}");
            }
        }
        else if (request.Key is not null)
        {
            return Usage("--key is only used with --submit URL");
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

        IntelSet? intelSet = null;
        if (request.Intel.Length > 0)
        {
            if (LoadIntel(request.Intel, request.Quiet) is not { } loaded)
            {
                return ExitCodes.UsageError;
            }

            intelSet = loaded;
        }

        var options = new ScanOptions
        {
            Intel = intelSet,
            ConfirmPattern = intelSet is null ? null : new PatternConfirmer().Confirm,
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

        if (server is not null && !Submit(server, submitKey!, result, request.Quiet))
        {
            return ExitCodes.UsageError;
        }

        return result.Findings.Count > 0 ? ExitCodes.Findings : ExitCodes.Clean;
    }

    /// <summary>Sends the findings; false (after saying why on standard error) when the server refused any or could not be reached.</summary>
    private bool Submit(Uri server, string key, ScanResult result, bool quiet)
    {
        FindingSubmitter.Outcome outcome;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(100) };
            outcome = new FindingSubmitter(http).SubmitAsync(server, key, result, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (SubmissionException ex)
        {
            _context.Error.WriteLine($"bulwark scan: --submit: {ex.Message}");
            return false;
        }

        foreach (var (index, id, reason) in outcome.Rejected)
        {
            _context.Error.WriteLine($"bulwark scan: --submit: finding {index + 1} ({id}) rejected: {reason}");
        }

        if (!quiet || outcome.Rejected.Count > 0)
        {
            _context.Error.WriteLine(
                $"bulwark: submitted {result.Findings.Count} finding{(result.Findings.Count == 1 ? "" : "s")} to {server}: {outcome.Accepted} accepted, {outcome.Duplicates} already there, {outcome.Rejected.Count} rejected");
        }

        return outcome.Rejected.Count == 0;
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

    /// <summary>Loads every --intel argument into one set; null (after saying why) when one cannot be found.</summary>
    private IntelSet? LoadIntel(string[] arguments, bool quiet)
    {
        var catalog = new IntelCatalog();
        foreach (var argument in arguments)
        {
            if (argument == "starter")
            {
                IntelStore.LoadStarter(catalog);
            }
            else if (argument == "store")
            {
                new IntelStore(IntelStore.DefaultRoot()).Load(catalog);
            }
            else if (File.Exists(argument) || Directory.Exists(argument))
            {
                IntelLoader.Load(argument, catalog);
            }
            else
            {
                Usage($"--intel {argument}: no such file or directory (or use 'store' or 'starter')");
                return null;
            }
        }

        var set = IntelLoader.Build(catalog);
        foreach (var problem in catalog.Problems.Concat(set.Rejected))
        {
            _context.Error.WriteLine($"bulwark scan: --intel: {problem}");
        }

        // Loading a large feed leaves hundreds of megabytes of garbage next to a long-lived index: drop the list values
        // the index now holds and, for a large set, collect (compacted) now rather than in the middle of the scan.
        var indicators = catalog.Indicators.Count + catalog.Values.Count;
        catalog.ReleaseValues();
        if (indicators >= 100_000)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }

        if (!quiet)
        {
            _context.Error.WriteLine($"bulwark: intel: {set.Index.Count} indexed values from {indicators} indicators of {catalog.Sources.Count} sources, {set.Actors.All.Count} actors");
        }

        return set;
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

    private sealed record Request(string? Path, string Format, string? Output, string? From, string? To, bool Quiet, int Threads, bool ListPrefilter, string? Baselines, string[] Builds, string[] Intel, string? Submit, string? Key);
}
