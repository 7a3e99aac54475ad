using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Bulwark.Core.Detection;
using Bulwark.Core.Detection.Exchange;
using Bulwark.Core.Findings;
using Bulwark.Core.Intel.Evaluation;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Intel.Matching;

/// <summary>
/// Matches every web request line of IIS and HttpProxy logs against an intel set (issue 5 item 7). Lines are picked
/// by <see cref="Selector"/> from their raw fields; each hit becomes evidence of an
/// <see cref="IntelDetections.IndicatorMatch"/> finding whose subject is the indicator's value. An indicator whose
/// pattern is more than its values is confirmed by <paramref name="confirm"/> (the pattern evaluator) first; one whose
/// pattern binds several observations (<c>[a] FOLLOWEDBY [b]</c>, <c>REPEATS</c>) is evaluated once the scan has seen
/// every event, over the events that hit its values (at most <see cref="MaxWindow"/> per indicator), and a match is
/// a finding named after the indicator with the events the match used as evidence.
/// </summary>
public sealed class IntelLogDetector : ILogDetector, ICompletingDetector
{
    /// <summary>Events kept per multi-observation indicator in one scan; later ones are not kept (the pattern is evaluated over the first).</summary>
    public const int MaxWindow = 1000;

    private readonly IntelSet _intel;
    private readonly RequestMatcher _matcher;
    private readonly Func<IntelIndicator, LogEvent, bool>? _confirm;
    private readonly PatternConfirmer _patterns;
    private readonly ConditionalWeakTable<FindingCollector, ConcurrentDictionary<string, Window>> _windows = [];

    /// <param name="intel">The intel set to match.</param>
    /// <param name="confirm">Evaluates a complex indicator's pattern on the event; without it complex indicators never match.</param>
    /// <param name="patterns">Prepares multi-observation patterns (shared with the file detector); one of its own otherwise.</param>
    public IntelLogDetector(IntelSet intel, Func<IntelIndicator, LogEvent, bool>? confirm = null, PatternConfirmer? patterns = null)
    {
        _patterns = patterns ?? new PatternConfirmer();
        _intel = intel;
        _matcher = new RequestMatcher(intel);
        _confirm = confirm;
        Selector = _matcher.Any ? new IntelLineSelector(_matcher) : null;
    }

    public IReadOnlyCollection<LogKind> Kinds { get; } = [LogKind.Iis, LogKind.HttpProxy];

    public IReadOnlyCollection<string> Prefilter { get; } = [];

    public ILineSelector? Selector { get; }

    public IReadOnlyList<Findings.Detection> Detections { get; } = [IntelDetections.IndicatorMatch];

    public void Inspect(LogEvent e, FindingCollector findings)
    {
        if (e.Request is null || !_matcher.Any)
        {
            return;
        }

        var names = e.Kind == LogKind.Iis ? RequestFields.Iis : RequestFields.HttpProxy;
        List<IntelHit>? hits = null;
        for (var field = 0; field < RequestFields.Count; field++)
        {
            if (!_matcher.Wants(field))
            {
                continue;
            }

            var value = e[names[field]];
            if (value.Length > 0)
            {
                hits ??= [];
                _matcher.Match(field, value, e.Kind == LogKind.Iis, names[field], hits);
            }
        }

        if (hits is null)
        {
            return;
        }

        List<(IntelIndicator Indicator, IntelHit Hit)>? windowed = null;
        IntelEvidence.Report([.. hits.Where(h => Applies(h, e, ref windowed))], _intel, e.Timestamp, findings, group =>
        {
            var evidence = RequestEvidence.For(e);
            foreach (var hit in group)
            {
                // The column that hit (a referer, which request evidence does not keep otherwise) stays with the
                // evidence, so the server's retro-hunt can match it again.
                ((Dictionary<string, string>)evidence.Fields).TryAdd(hit.Field, hit.Observed);
            }

            return evidence;
        });

        if (windowed is not null && EventObservations.FromRequest(e) is { } observation)
        {
            var windows = _windows.GetValue(findings, static _ => new(StringComparer.Ordinal));
            foreach (var byIndicator in windowed.GroupBy(w => w.Indicator.Id, StringComparer.Ordinal))
            {
                var evidence = RequestEvidence.For(e);
                IntelEvidence.Describe((Dictionary<string, string>)evidence.Fields, [.. byIndicator.Select(w => w.Hit)], _intel, e.Timestamp);
                windows.GetOrAdd(byIndicator.Key, static _ => new Window()).Add(observation, evidence);
            }
        }
    }

    /// <summary>Evaluates each multi-observation indicator over the events of this scan that hit it.</summary>
    public void Complete(FindingCollector findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        if (!_windows.TryGetValue(findings, out var windows))
        {
            return;
        }

        _windows.Remove(findings);
        foreach (var (id, window) in windows.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            if (_intel.Catalog.GetIndicator(id) is not { } indicator || Evaluator(indicator) is not { } evaluator)
            {
                continue;
            }

            var seen = window.Sorted();
            var match = evaluator.Match([.. seen.Select(s => s.Observation)]);
            if (!match.IsMatch)
            {
                continue;
            }

            var subject = indicator.Name is { Length: > 0 } name ? name : indicator.Id;
            foreach (var used in match.Observations)
            {
                findings.Add(IntelDetections.IndicatorMatch, subject, seen[used].Evidence);
            }
        }
    }

    private bool Applies(IntelHit hit, LogEvent e, ref List<(IntelIndicator, IntelHit)>? windowed)
    {
        if (!_intel.Applies(hit.EntryId, e.Timestamp))
        {
            return false;
        }

        var indicator = _intel.IndicatorOf(hit.EntryId);
        if (indicator is not { Complex: true })
        {
            return true;
        }

        if (_confirm is null)
        {
            return false;
        }

        if (Evaluator(indicator) is { BindingSize: > 1 })
        {
            (windowed ??= []).Add((indicator, hit));
            return false;
        }

        return _confirm(indicator, e);
    }

    private PatternEvaluator? Evaluator(IntelIndicator indicator) => _patterns.EvaluatorFor(indicator);

    /// <summary>The events of one scan that hit one multi-observation indicator, in the order they were seen.</summary>
    private sealed class Window
    {
        private readonly List<(Observation Observation, Evidence Evidence)> _seen = [];

        public void Add(Observation observation, Evidence evidence)
        {
            lock (_seen)
            {
                if (_seen.Count < MaxWindow)
                {
                    _seen.Add((observation, evidence));
                }
            }
        }

        /// <summary>By time, then file and line: the scan's threads add in any order.</summary>
        public List<(Observation Observation, Evidence Evidence)> Sorted()
        {
            lock (_seen)
            {
                return [.. _seen.OrderBy(s => s.Evidence.Timestamp).ThenBy(s => s.Evidence.File, StringComparer.Ordinal).ThenBy(s => s.Evidence.Line)];
            }
        }
    }
}
