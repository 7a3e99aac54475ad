using System.Collections.Concurrent;
using System.Globalization;
using Bulwark.Core.Findings;
using Bulwark.Core.Intel.Evaluation;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Sources;
using Bulwark.Core.Sources.Exchange;
using Bulwark.Core.Sources.Iis;
using Bulwark.Core.Sources.Text;

namespace Bulwark.Core.Intel.Matching;

/// <summary>
/// Confirms an indicator whose pattern is more than its values on the one event that hit it: the event becomes a STIX
/// observation (<see cref="EventObservations"/>) and the pattern is evaluated on it. A pattern that needs several
/// observations (FOLLOWEDBY, REPEATS, AND between brackets) cannot be confirmed by one event and does not match.
/// Evaluators are prepared once per indicator and shared by the scan's threads.
/// </summary>
public sealed class PatternConfirmer
{
    private readonly ConcurrentDictionary<string, PatternEvaluator?> _evaluators = new(StringComparer.Ordinal);

    public bool Confirm(IntelIndicator indicator, LogEvent e)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(e);
        return Evaluate(indicator, EventObservations.FromRequest(e));
    }

    /// <summary>Confirms on a file of the scanned tree (its name, path, size and the hashes computed).</summary>
    public bool Confirm(IntelIndicator indicator, FileFacts file)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(file);
        return Evaluate(indicator, EventObservations.FromFile(file));
    }

    /// <summary>
    /// Confirms on kept evidence (the retro-hunt: the line is gone, its evidence is what is left). A web request's
    /// evidence becomes the event its kept columns describe, read by the log format's own parser; a file's evidence
    /// (its path and size, with the hashes it kept) becomes the file. A pattern that needs a column or property the
    /// evidence did not keep does not match, nor does evidence that is neither.
    /// </summary>
    public bool Confirm(IntelIndicator indicator, Evidence evidence)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        ArgumentNullException.ThrowIfNull(evidence);
        if (indicator.Pattern is null)
        {
            return false;
        }

        if (RequestEvent(evidence) is { } e)
        {
            return Evaluate(indicator, EventObservations.FromRequest(e));
        }

        return FileOf(evidence) is { } file && Evaluate(indicator, EventObservations.FromFile(file));
    }

    private bool Evaluate(IntelIndicator indicator, Observation? observation)
    {
        if (indicator.Pattern is not { } pattern || observation is null)
        {
            return false;
        }

        var evaluator = _evaluators.GetOrAdd(indicator.Id, static (_, p) => Prepare(p), pattern);
        return evaluator is not null && evaluator.Match([observation]).IsMatch;
    }

    /// <summary>The indicator's prepared evaluator (shared, made once), or null when it has no usable pattern.</summary>
    public PatternEvaluator? EvaluatorFor(IntelIndicator indicator)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        return indicator.Pattern is { } pattern ? _evaluators.GetOrAdd(indicator.Id, static (_, p) => Prepare(p), pattern) : null;
    }

    private static PatternEvaluator? Prepare(Patterning.Pattern pattern) =>
        PatternEvaluator.TryCreate(pattern, out var evaluator, out _) ? evaluator : null;

    /// <summary>
    /// The web log a piece of evidence was kept from, by its column names: IIS W3C when it holds one of IIS's request
    /// columns, Exchange HttpProxy when it holds one of HttpProxy's; null for anything else (a file, another log).
    /// </summary>
    internal static LogKind? RequestKind(IReadOnlyDictionary<string, string> fields)
    {
        foreach (var name in RequestFields.Iis)
        {
            if (fields.ContainsKey(name))
            {
                return LogKind.Iis;
            }
        }

        foreach (var name in RequestFields.HttpProxy)
        {
            if (fields.ContainsKey(name))
            {
                return LogKind.HttpProxy;
            }
        }

        return null;
    }

    /// <summary>
    /// The request line kept evidence describes, with only the columns it kept (intel's own fields left out), at the
    /// evidence's time; null when it is not a web request's evidence or the format cannot read it as one.
    /// </summary>
    internal static LogEvent? RequestEvent(Evidence evidence)
    {
        var kind = RequestKind(evidence.Fields);
        if (kind is null)
        {
            return null;
        }

        var columns = evidence.Fields.Where(f => !IntelEvidence.IsIntelField(f.Key)).ToList();
        var state = new LogFileState(evidence.File, null) { Schema = new LogSchema([.. columns.Select(c => c.Key)]) };
        LogEvent? parsed;
        if (kind == LogKind.Iis)
        {
            // IIS writes no spaces inside a column (it writes '+'): a kept value with one is not a W3C line's.
            if (columns.Any(c => c.Value.Contains(' ', StringComparison.Ordinal)))
            {
                return null;
            }

            parsed = W3cFormat.Instance.Parse(string.Join(' ', columns.Select(c => c.Value)), evidence.Line, state, out _);
        }
        else
        {
            parsed = HttpProxyFormat.Instance.Parse(string.Join(',', columns.Select(c => Quoted(c.Value))), evidence.Line, state, out _);
        }

        return parsed?.Request is null
            ? null
            : new LogEvent(kind.Value, evidence.File, evidence.Line, parsed.Schema, [.. columns.Select(c => c.Value)], "", evidence.Timestamp, null) { Request = parsed.Request };
    }

    /// <summary>The file kept evidence describes (<c>path</c> and <c>size</c>, with the hashes it kept); null without both.</summary>
    internal static FileFacts? FileOf(Evidence evidence)
    {
        var fields = evidence.Fields;
        if (!fields.TryGetValue("path", out var path) || path.Length == 0
            || !fields.TryGetValue("size", out var size) || !long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            return null;
        }

        return new FileFacts
        {
            Path = path.Replace('\\', '/'),
            Length = length,
            LastWriteTime = evidence.Timestamp,
            Sha256 = Digest(fields, "sha256"),
            Sha1 = Digest(fields, "sha1"),
            Md5 = Digest(fields, "md5"),
        };
    }

    private static string? Digest(IReadOnlyDictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) && value.Length > 0 ? value.ToLowerInvariant() : null;

    private static string Quoted(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
