using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Bulwark.Core.Detection;
using Bulwark.Core.Findings;
using Bulwark.Core.Intel.Matching;
using Bulwark.Core.Posture;
using Bulwark.Core.Sources;
using Bulwark.Core.Sources.Archives;
using Bulwark.Core.Sources.Exchange;
using Bulwark.Core.Sources.Iis;
using Bulwark.Core.Sources.Text;

namespace Bulwark.Core.Scanning;

/// <summary>
/// Scans a directory tree, a loose file or an archive: logs go through their reader and the log detectors,
/// other files through the file detectors. Files are scanned in parallel; each file streams.
/// </summary>
public sealed class Scanner
{
    private readonly ScanOptions _options;
    private readonly Dictionary<LogKind, (LineScanner Lines, ILogDetector[] Detectors, ClientAddressProbe? Addresses, ILineSelector[] Selectors)> _kinds;

    public Scanner(ScanOptions options)
    {
        if (options.Intel is { } intel)
        {
            var patterns = new PatternConfirmer();
            var files = new IntelFileDetector(intel, options.ConfirmPattern is null ? null : patterns);
            var text = new IntelTextDetector(intel);
            options = options with
            {
                LogDetectors = [.. options.LogDetectors, new IntelLogDetector(intel, options.ConfirmPattern, patterns), .. (text.Any ? [text] : Array.Empty<ILogDetector>())],
                FileDetectors = [.. options.FileDetectors, files],
                LegacyHashes = options.LegacyHashes || files.WantsLegacyHashes,
            };
        }

        _options = options;
        _kinds = Enum.GetValues<LogKind>().ToDictionary(
            k => k,
            k =>
            {
                var detectors = options.LogDetectors.Where(d => d.Kinds.Contains(k)).ToArray();
                var addresses = detectors.SelectMany(d => d.ClientAddresses).ToList();
                var selectors = detectors.Select(d => d.Selector).OfType<ILineSelector>().ToArray();
                return (new LineScanner(detectors.SelectMany(d => d.Prefilter)), detectors, addresses.Count > 0 ? new ClientAddressProbe(addresses) : null, selectors);
            });
    }

    /// <summary>
    /// Every value the pre-filter selects lines by (for <c>--list-prefilter</c>): the literals, then the client
    /// addresses (matched on the client-address column, not anywhere in the line).
    /// </summary>
    public static IReadOnlyList<string> PrefilterLiterals(IEnumerable<ILogDetector> detectors)
    {
        var list = detectors.ToList();
        return
        [
            .. list.SelectMany(d => d.Prefilter).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal),
            .. list.SelectMany(d => d.ClientAddresses).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal),
        ];
    }

    public ScanResult Scan(string root, ScanCounters? counters = null, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        counters ??= new ScanCounters();
        var run = new Run(this, counters);
        counters.Findings = run.Findings;

        var items = Enumerate(root, run).OrderByDescending(i => i.Length).ToList();
        counters.TotalFiles = items.Count;
        counters.TotalBytes = items.Sum(i => i.Length);

        Parallel.ForEach(
            items,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Threads), CancellationToken = cancellationToken },
            item =>
            {
                try
                {
                    using var stream = new FileStream(item.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
                    ProcessStream(run, item.RelativePath, stream, item.Length, item.LastWriteTime, 0, onDisk: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    run.Error(item.RelativePath, 0, $"cannot read: {ex.Message}");
                    counters.AddBytes(item.Length);
                }
                finally
                {
                    counters.FileDone();
                }
            });

        foreach (var detector in _options.LogDetectors.OfType<ICompletingDetector>())
        {
            detector.Complete(run.Findings);
        }

        foreach (var (build, evidence) in run.Builds)
        {
            PostureFindings.Add(ExchangePosture.BuiltIn, build, evidence, run.Findings);
        }

        var findings = run.Findings.Build();
        if (_options.Intel is { } intelSet)
        {
            findings = IntelFindings.Enrich(findings, intelSet);
        }

        var coverage = run.Coverage
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => c.Value.ToCoverage(c.Key, _options.ExploitationWindowStart))
            .ToList();
        var errors = run.Errors.OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Message, StringComparer.Ordinal).ToList();
        stopwatch.Stop();
        return new ScanResult(
            root,
            findings,
            coverage,
            errors,
            new ScanStatistics(items.Count, run.LogFiles, counters.TotalBytes, run.Lines, stopwatch.Elapsed))
        {
            ExchangeBuilds = run.Builds.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => new ObservedBuild(b.Key, b.Value)).ToList(),
        };
    }

    private static IEnumerable<WorkItem> Enumerate(string root, Run run)
    {
        var full = Path.GetFullPath(root);
        if (File.Exists(full))
        {
            var info = new FileInfo(full);
            return [new WorkItem(full, info.Name, info.Length, info.LastWriteTimeUtc)];
        }

        if (!Directory.Exists(full))
        {
            throw new FileNotFoundException($"{root}: no such file or directory", root);
        }

        var items = new List<WorkItem>();
        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(full));
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = dir.EnumerateFileSystemInfos().ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                run.Error(Relative(full, dir.FullName), 0, $"cannot list directory: {ex.Message}");
                continue;
            }

            foreach (var entry in entries)
            {
                var relative = Relative(full, entry.FullName);
                if (entry.LinkTarget is not null)
                {
                    run.Error(relative, 0, "symbolic link not followed");
                }
                else if (entry is DirectoryInfo sub)
                {
                    pending.Push(sub);
                }
                else if (entry is FileInfo file)
                {
                    items.Add(new WorkItem(file.FullName, relative, file.Length, file.LastWriteTimeUtc));
                }
            }
        }

        return items;
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    private void ProcessStream(Run run, string path, Stream stream, long? length, DateTimeOffset? lastWrite, int depth, bool onDisk)
    {
        if (ArchiveReader.IsArchive(path))
        {
            // An archive can itself be evidence (data staged in ProgramData): detectors see its path first.
            var byPath = _options.FileDetectors.Where(d => d.Interest(path) == FileInterest.PathOnly).ToList();
            if (byPath.Count > 0)
            {
                var facts = new FileFacts { Path = path, Length = length ?? 0, LastWriteTime = lastWrite };
                foreach (var detector in byPath)
                {
                    detector.Inspect(facts, run.Findings);
                }
            }

            if (depth >= _options.ArchiveLimits.MaxDepth)
            {
                run.Error(path, 0, $"archive nested deeper than {_options.ArchiveLimits.MaxDepth} levels; refused");
            }
            else
            {
                ArchiveReader.Read(
                    stream,
                    path,
                    _options.ArchiveLimits,
                    entry => ProcessStream(run, entry.Path, entry.Content, entry.Length, entry.LastWriteTime, depth + 1, onDisk: false),
                    reason => run.Error(path, 0, reason));
            }

            if (onDisk)
            {
                run.Counters.AddBytes(length ?? 0);
            }

            return;
        }

        var layout = LogLayout.FromPath(path);
        if (layout is null)
        {
            // Each detector decides from the path once; the file's bytes are read only when one wants them.
            var interests = _options.FileDetectors.Select(d => (Detector: d, Interest: d.Interest(path))).Where(x => x.Interest != FileInterest.None).ToList();
            if (interests.Any(x => !x.Detector.WantsEveryFile))
            {
                InspectFile(run, path, stream, length, lastWrite, [.. interests.Select(x => x.Detector)], interests.Any(x => x.Interest == FileInterest.Content), _options.LegacyHashes);
                if (onDisk)
                {
                    run.Counters.AddBytes(length ?? 0);
                }

                return;
            }

            // Only detectors that want every file (intel hashes) are interested: a log whose path does not say what it
            // is (an uploaded u_ex210303.log) must still be recognised by its content and read as a log.
            var peek = new PeekStream(stream);
            layout = LogLayout.FromContent(peek.Peek(LogLayout.SniffBytes), path);
            if (layout is null && interests.Count > 0)
            {
                InspectFile(run, path, peek, length, lastWrite, [.. interests.Select(x => x.Detector)], interests.Any(x => x.Interest == FileInterest.Content), _options.LegacyHashes);
            }

            if (layout is null)
            {
                if (onDisk)
                {
                    run.Counters.AddBytes(length ?? 0);
                }

                return;
            }

            stream = peek;
        }

        ScanLog(run, path, stream, layout.Value, onDisk);
    }

    private void ScanLog(Run run, string path, Stream stream, (LogKind Kind, string? Protocol, string Folder) layout, bool onDisk)
    {
        LogFormat format = layout.Kind switch
        {
            LogKind.HttpProxy => HttpProxyFormat.Instance,
            LogKind.EcpServer => EcpServerFormat.Instance,
            LogKind.OabGenerator => OabGeneratorFormat.Instance,
            LogKind.Iis => W3cFormat.Instance,
            _ => throw new UnreachableException(),
        };
        var (lines, detectors, addresses, selectors) = _kinds[layout.Kind];
        var state = new LogFileState(path, layout.Protocol);
        var errors = 0;
        var firstDataSeen = false;

        void Report(long line, string message)
        {
            if (++errors <= _options.MaxErrorsPerFile)
            {
                run.Error(path, line, message);
            }
        }

        void Handle(string line, long number)
        {
            if (line.Length == 0)
            {
                return;
            }

            if (line[0] == '#')
            {
                format.OnDirective(line, number, state);
                return;
            }

            if (state.Schema is null && format.TryHeaderRow(line, state))
            {
                return;
            }

            var e = format.Parse(line, number, state, out var error);
            if (e is null)
            {
                if (error is not null)
                {
                    Report(number, error);
                }

                return;
            }

            if (!firstDataSeen)
            {
                firstDataSeen = true;
                state.Earliest = e.Timestamp;
            }

            if ((_options.From is { } from && e.Timestamp < from) || (_options.To is { } to && e.Timestamp > to))
            {
                return;
            }

            foreach (var detector in detectors)
            {
                detector.Inspect(e, run.Findings);
            }
        }

        LineScanner.LineProbe? probe = null;
        var addressColumn = addresses is not null ? format.ClientAddressColumn : null;
        if (addressColumn is not null || selectors.Length > 0)
        {
            // Column positions follow the file's current #Fields (IIS may change them mid-file); each line is split
            // once for the client-address probe and every selector together.
            LogSchema? seen = null;
            LineProbes plan = LineProbes.None;
            probe = line =>
            {
                if (!ReferenceEquals(seen, state.Schema))
                {
                    seen = state.Schema;
                    plan = seen is null ? LineProbes.None : LineProbes.For(seen, format, addressColumn, selectors);
                }

                return plan.Test(line, addresses, format);
            };
        }

        var (count, lastLine, _) = lines.Scan(
            stream,
            () => !firstDataSeen,
            Handle,
            (message, number) => Report(number, message),
            onDisk ? run.Counters.AddBytes : null,
            probe);

        if (lastLine is not null)
        {
            state.Latest = format.ReadTimestamp(lastLine, state);
        }

        if (errors > _options.MaxErrorsPerFile)
        {
            run.Error(path, 0, $"{errors - _options.MaxErrorsPerFile} more malformed lines not listed");
        }

        if (!firstDataSeen && count > 0 && state.Schema is null)
        {
            Report(0, $"no data lines recognised as {layout.Kind.ToText()}");
        }

        run.AddLog(layout.Folder, layout.Kind, state, count);
    }

    private static void InspectFile(Run run, string path, Stream stream, long? length, DateTimeOffset? lastWrite, List<IFileDetector> detectors, bool readContent, bool legacyHashes)
    {
        string? sha256 = null;
        string? md5 = null;
        string? sha1 = null;
        ReadOnlyMemory<byte> head = ReadOnlyMemory<byte>.Empty;
        var total = length ?? 0;
        if (readContent)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var md5Hash = legacyHashes ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
            using var sha1Hash = legacyHashes ? IncrementalHash.CreateHash(HashAlgorithmName.SHA1) : null;
            var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
            var headBuffer = new byte[FileFacts.HeadLimit];
            var headLength = 0;
            total = 0;
            try
            {
                int n;
                while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    md5Hash?.AppendData(buffer, 0, n);
                    sha1Hash?.AppendData(buffer, 0, n);
                    var take = Math.Min(n, headBuffer.Length - headLength);
                    buffer.AsSpan(0, take).CopyTo(headBuffer.AsSpan(headLength));
                    headLength += take;
                    total += n;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            md5 = md5Hash is null ? null : Convert.ToHexStringLower(md5Hash.GetHashAndReset());
            sha1 = sha1Hash is null ? null : Convert.ToHexStringLower(sha1Hash.GetHashAndReset());
            head = headBuffer.AsMemory(0, headLength);
        }

        var facts = new FileFacts { Path = path, Length = total, LastWriteTime = lastWrite, Sha256 = sha256, Md5 = md5, Sha1 = sha1, Head = head };
        foreach (var detector in detectors)
        {
            detector.Inspect(facts, run.Findings);
        }
    }

    private sealed record WorkItem(string FullPath, string RelativePath, long Length, DateTimeOffset LastWriteTime);

    /// <summary>The columns every probe of one schema reads, split once per line.</summary>
    private sealed class LineProbes
    {
        public static readonly LineProbes None = new([], -1, []);

        private readonly int[] _columns;
        private readonly int _address;
        private readonly (ColumnProbe Probe, int[] Positions)[] _selected;

        private LineProbes(int[] columns, int address, (ColumnProbe, int[])[] selected)
        {
            _columns = columns;
            _address = address;
            _selected = selected;
        }

        public static LineProbes For(LogSchema schema, LogFormat format, string? addressColumn, ILineSelector[] selectors)
        {
            var address = addressColumn is null ? -1 : schema.IndexOf(addressColumn);
            var probes = selectors.Select(s => s.ForSchema(schema, format)).OfType<ColumnProbe>().ToList();
            var columns = probes.SelectMany(p => p.Columns).Append(address).Where(c => c >= 0).Distinct().Order().ToArray();
            return new LineProbes(
                columns,
                address < 0 ? -1 : Array.IndexOf(columns, address),
                [.. probes.Select(p => (p, p.Columns.Select(c => Array.IndexOf(columns, c)).ToArray()))]);
        }

        public bool Test(ReadOnlySpan<byte> line, ClientAddressProbe? addresses, LogFormat format)
        {
            if (_columns.Length == 0)
            {
                return false;
            }

            Span<Range> fields = stackalloc Range[_columns.Length];
            FieldSplitter.Split(line, _columns, format.FieldSeparator, format.QuotedFields, fields);
            if (_address >= 0 && addresses!.MatchesField(line[fields[_address]]))
            {
                return true;
            }

            Span<Range> buffer = stackalloc Range[_columns.Length];
            foreach (var (probe, positions) in _selected)
            {
                var own = buffer[..positions.Length];
                for (var i = 0; i < positions.Length; i++)
                {
                    own[i] = fields[positions[i]];
                }

                if (probe.Test(line, own))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>State shared by the workers of one scan.</summary>
    private sealed class Run(Scanner scanner, ScanCounters counters)
    {
        private long _lines;
        private int _logFiles;

        public Scanner Scanner { get; } = scanner;

        public ScanCounters Counters { get; } = counters;

        public FindingCollector Findings { get; } = new();

        public ConcurrentBag<ScanError> Errors { get; } = [];

        public ConcurrentDictionary<string, FolderCoverage> Coverage { get; } = new(StringComparer.Ordinal);

        /// <summary>Exchange build (as written in #Version) → where it was first seen.</summary>
        public ConcurrentDictionary<string, Evidence> Builds { get; } = new(StringComparer.Ordinal);

        public long Lines => Interlocked.Read(ref _lines);

        public int LogFiles => _logFiles;

        public void Error(string file, long line, string message) => Errors.Add(new ScanError(file, line, message));

        public void AddLog(string folder, LogKind kind, LogFileState state, long lines)
        {
            Interlocked.Add(ref _lines, lines);
            Interlocked.Increment(ref _logFiles);
            Coverage.GetOrAdd(folder, _ => new FolderCoverage(kind)).Add(state);
            if (state.Version is { } version)
            {
                // Files finish in any order: keep the earliest log naming the build, so output is deterministic.
                var evidence = new Evidence(state.File, version.Line, state.Earliest, new Dictionary<string, string> { ["#Version"] = version.Text });
                Builds.AddOrUpdate(version.Text, evidence, (_, old) => Earlier(evidence, old) ? evidence : old);
            }
        }
    }

    private static bool Earlier(Evidence a, Evidence b) =>
        (a.Timestamp ?? DateTimeOffset.MaxValue, a.File) is var x && (b.Timestamp ?? DateTimeOffset.MaxValue, b.File) is var y
        && (x.Item1 < y.Item1 || (x.Item1 == y.Item1 && string.CompareOrdinal(x.Item2, y.Item2) < 0));

    private sealed class FolderCoverage(LogKind kind)
    {
        private int _files;
        private DateTimeOffset? _earliest;
        private DateTimeOffset? _latest;

        public void Add(LogFileState state)
        {
            lock (this)
            {
                _files++;
                if (state.Earliest is { } e && (_earliest is null || e < _earliest))
                {
                    _earliest = e;
                }

                var latest = state.Latest ?? state.Earliest;
                if (latest is { } l && (_latest is null || l > _latest))
                {
                    _latest = l;
                }
            }
        }

        public LogCoverage ToCoverage(string folder, DateTimeOffset windowStart)
        {
            string? warning = null;
            if (_earliest is null)
            {
                warning = "no timestamped lines: the period these logs cover is unknown";
            }
            else if (_earliest > windowStart)
            {
                warning = $"logs start {_earliest.Value.UtcDateTime:yyyy-MM-dd}: ProxyLogon exploitation began in early January 2021, so a compromise before {_earliest.Value.UtcDateTime:yyyy-MM-dd} would not show here";
            }

            return new LogCoverage(folder, kind.ToText(), _files, _earliest, _latest, warning);
        }
    }
}

/// <summary>An Exchange build named by a log's <c>#Version:</c> directive, and where it was first seen.</summary>
public sealed record ObservedBuild(string Build, Evidence Evidence);
