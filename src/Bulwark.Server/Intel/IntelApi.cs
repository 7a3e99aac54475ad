using Bulwark.Core.Intel.Actors;
using Bulwark.Core.Intel.Lists;
using Bulwark.Core.Intel.Matching;
using Bulwark.Server.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using static Bulwark.Server.Intel.IntelViews;

namespace Bulwark.Server.Intel;

/// <summary>
/// What the server's intel set holds (<c>/api/v1/intel</c>): its status, what is known about a value (as
/// <c>bulwark intel match</c> prints it) and the actors. Operators and analysts.
/// </summary>
public static class IntelApi
{
    private const int MaxProblemsShown = 100;
    private const int MaxValueLength = 2048;

    public static RouteGroupBuilder MapIntelApi(this RouteGroupBuilder api)
    {
        var intel = api.MapGroup("/intel").WithTags("Intel").RequireAuthorization(Policies.Staff);
        intel.MapGet("/status", StatusAsync)
            .WithSummary("The intel set every upload scan uses: indexed values, indicators, actors, when it was built, per-source counts, problems (the first 100, and how many), and the last retro-hunt.");
        intel.MapGet("/match", MatchAsync)
            .WithSummary("What the intel set knows about ?value= (address, domain, URL, e-mail, hash, file name or path, user agent; defanged values are refanged): each matching indicator with its source, TLP, confidence and actors; or the actor the value names.");
        intel.MapGet("/actors", ActorsAsync)
            .WithSummary("Actors whose name, alias or id contains ?q= (all without it), with country and aliases; ?limit= 1 to 500 (default 50).");
        api.MapIntelSourcesApi();
        return api;
    }

    private static async Task<Ok<StatusView>> StatusAsync(CurrentIntel current, IOptions<IntelOptions> options, CancellationToken ct)
    {
        var s = await current.GetAsync(ct);
        var set = s.Set;
        return TypedResults.Ok(new StatusView(
            set.Index.Count,
            s.Indicators,
            set.Actors.All.Count,
            set.Catalog.Objects.Count,
            set.Catalog.Relationships.Count,
            set.Catalog.Warninglists.Count,
            set.Suppressed.Count,
            set.RevokedIndicators,
            options.Value.Starter,
            s.BuiltAt,
            (long)s.Took.TotalMilliseconds,
            [.. s.Sources.Select(t => new SourceStatusView(t.Id, t.Name, t.Kind, t.Enabled, t.Items, t.Indicators, t.Objects, t.Relationships, t.Warninglists, t.Problems))],
            [.. s.Problems.Take(MaxProblemsShown).Select(Problem)],
            s.Problems.Count,
            RetroHunt(current.LastRetroHunt)));
    }

    private static async Task<Results<Ok<MatchResult>, ValidationProblem>> MatchAsync(string? value, CurrentIntel current, CancellationToken ct)
    {
        var text = PlainList.Refang((value ?? "").Trim());
        if (text.Length is 0 or > MaxValueLength || text.Contains('\0', StringComparison.Ordinal))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["value"] = [$"a value of 1 to {MaxValueLength} characters is required"] });
        }

        var set = (await current.GetAsync(ct)).Set;
        var matches = new List<MatchView>();
        foreach (var id in set.Find(text))
        {
            var entry = set.Index.GetEntry(id);
            var indicator = set.IndicatorOf(id);
            var actors = set.Attribute(entry.Reference is { } r ? [r] : [], null)
                .Select(a => new AttributionView(a.ActorId, a.ActorName, a.Country, a.Confidence, IntelEvidence.TlpText(a.Tlp), a.Aliases))
                .ToList();
            matches.Add(new MatchView(
                IntelEvidence.KindText(entry.Kind), entry.Value, entry.Source, set.Catalog.GetSource(entry.Source)?.Title ?? entry.Source,
                IntelEvidence.TlpText(entry.Tlp), entry.Confidence, indicator?.Id, indicator?.Name, indicator is { Complex: true } ? indicator.PatternText : null,
                entry.ValidFrom, entry.ValidUntil, actors));
        }

        var named = matches.Count == 0 ? set.Actors.Resolve(text).Select(Actor).ToList() : [];
        return TypedResults.Ok(new MatchResult(text, matches, named));
    }

    private static async Task<Results<Ok<List<ActorView>>, ValidationProblem>> ActorsAsync(string? q, int? limit, CurrentIntel current, CancellationToken ct)
    {
        if (limit is < 1 or > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["1 to 500"] });
        }

        var query = q?.Trim() ?? "";
        if (query.Length > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["q"] = ["at most 200 characters"] });
        }

        var registry = (await current.GetAsync(ct)).Set.Actors;
        var exact = query.Length == 0 ? [] : registry.Resolve(query);
        var found = exact.Concat(registry.All.Where(a => query.Length == 0 || Contains(a, query))).Distinct().Take(limit ?? 50);
        return TypedResults.Ok(found.Select(Actor).ToList());
    }

    private static bool Contains(Actor a, string q) =>
        a.Id.Contains(q, StringComparison.OrdinalIgnoreCase) || a.Name.Contains(q, StringComparison.OrdinalIgnoreCase)
        || a.Aliases.Any(x => x.Contains(q, StringComparison.OrdinalIgnoreCase)) || a.AttackIds.Any(x => x.Equals(q, StringComparison.OrdinalIgnoreCase));

    private static ActorView Actor(Actor a) => new(a.Id, a.Name, a.Country, a.CountryConfidence, a.Aliases, a.AttackIds, a.SharedAliases, a.Sources);
}
