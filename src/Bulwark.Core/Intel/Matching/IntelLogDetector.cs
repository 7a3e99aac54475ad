using Bulwark.Core.Detection;
using Bulwark.Core.Detection.Exchange;
using Bulwark.Core.Findings;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Intel.Matching;

/// <summary>
/// Matches every web request line of IIS and HttpProxy logs against an intel set (issue 5 item 7). Lines are picked
/// by <see cref="Selector"/> from their raw fields; each hit becomes evidence of an
/// <see cref="IntelDetections.IndicatorMatch"/> finding whose subject is the indicator's value. An indicator whose
/// pattern is more than its values is confirmed by <paramref name="confirm"/> (the pattern evaluator) first.
/// </summary>
public sealed class IntelLogDetector : ILogDetector
{
    private readonly IntelSet _intel;
    private readonly RequestMatcher _matcher;
    private readonly Func<IntelIndicator, LogEvent, bool>? _confirm;

    /// <param name="intel">The intel set to match.</param>
    /// <param name="confirm">Evaluates a complex indicator's pattern on the event; without it complex indicators never match.</param>
    public IntelLogDetector(IntelSet intel, Func<IntelIndicator, LogEvent, bool>? confirm = null)
    {
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

        // Several sources may list one value: one piece of evidence per value and line, naming every indicator.
        foreach (var group in hits.Where(h => Applies(h, e)).GroupBy(h => _intel.Index.GetEntry(h.EntryId).Value, StringComparer.Ordinal))
        {
            var evidence = RequestEvidence.For(e);
            IntelEvidence.Describe((Dictionary<string, string>)evidence.Fields, [.. group], _intel, e.Timestamp);
            findings.Add(IntelDetections.IndicatorMatch, group.Key, evidence);
        }
    }

    private bool Applies(IntelHit hit, LogEvent e)
    {
        if (!_intel.Applies(hit.EntryId, e.Timestamp))
        {
            return false;
        }

        var indicator = _intel.IndicatorOf(hit.EntryId);
        return indicator is not { Complex: true } || (_confirm is not null && _confirm(indicator, e));
    }
}
