using Bulwark.Core.Intel.Model;
using Bulwark.Data.Intel;

namespace Bulwark.Server.Intel;

/// <summary>The JSON shapes of the intel API.</summary>
public static class IntelViews
{
    /// <summary>
    /// A source as the API shows it: its settings, what it last did and what it gives the intel set. The secret is never
    /// shown: <see cref="HasSecret"/> says whether one is stored.
    /// </summary>
    public sealed record SourceView(
        Guid Id,
        string Name,
        IntelSourceKind Kind,
        string DefaultTlp,
        int DefaultConfidence,
        string? Url,
        string? CollectionId,
        IntelCredentialKind CredentialKind,
        string? Username,
        bool HasSecret,
        int? PollMinutes,
        bool Enabled,
        string? Checkpoint,
        DateTimeOffset? LastPolledAt,
        DateTimeOffset? LastSuccessAt,
        string? LastError,
        DateTimeOffset? NextPollAt,
        DateTimeOffset CreatedAt,
        DateTimeOffset ChangedAt,
        int Items,
        int Indicators,
        int Objects,
        int Relationships,
        int Problems);

    /// <summary>Something not taken, with the file (or source and object) and where in it.</summary>
    public sealed record ProblemView(string File, string Where, string Message);

    public sealed record RetroHuntView(DateTimeOffset At, DateTimeOffset Since, int Organisations, int Examined, int Found, int Attributed, int IncidentsRaised);

    public sealed record FileView(string Name, long Size, string Sha256, DateTimeOffset AddedAt);

    /// <summary>What an upload gave: counts of what the file holds, every problem (up to a limit) and the intel set now.</summary>
    public sealed record UploadView(
        Guid SourceId,
        string File,
        string Format,
        long Size,
        string Sha256,
        bool Replaced,
        int Indicators,
        int Objects,
        int Relationships,
        int Warninglists,
        IReadOnlyList<ProblemView> Problems,
        int ProblemsTotal,
        int IndexedValues,
        RetroHuntView? RetroHunt);

    public sealed record PollView(
        Guid SourceId,
        string Name,
        bool Succeeded,
        int Stored,
        int Removed,
        string? Checkpoint,
        string? Error,
        IReadOnlyList<ProblemView> Problems,
        int IndexedValues,
        RetroHuntView? RetroHunt);

    public sealed record SourceStatusView(Guid Id, string Name, IntelSourceKind Kind, bool Enabled, int Items, int Indicators, int Objects, int Relationships, int Warninglists, int Problems);

    public sealed record StatusView(
        int IndexedValues,
        int Indicators,
        int Actors,
        int Objects,
        int Relationships,
        int Warninglists,
        int SuppressedValues,
        int RevokedIndicators,
        bool Starter,
        DateTimeOffset? BuiltAt,
        long BuildMilliseconds,
        IReadOnlyList<SourceStatusView> Sources,
        IReadOnlyList<ProblemView> Problems,
        int ProblemsTotal,
        RetroHuntView? LastRetroHunt);

    public sealed record AttributionView(string ActorId, string Actor, string? Country, int Confidence, string Tlp, IReadOnlyList<string> Aliases);

    public sealed record MatchView(
        string Kind,
        string Value,
        string Source,
        string SourceTitle,
        string Tlp,
        int Confidence,
        string? IndicatorId,
        string? IndicatorName,
        string? Pattern,
        DateTimeOffset? ValidFrom,
        DateTimeOffset? ValidUntil,
        IReadOnlyList<AttributionView> Actors);

    public sealed record ActorView(string Id, string Name, string? Country, int? CountryConfidence, IReadOnlyList<string> Aliases, IReadOnlyList<string> AttackIds, IReadOnlyList<string> SharedAliases, IReadOnlyList<string> Sources);

    public sealed record MatchResult(string Value, IReadOnlyList<MatchView> Matches, IReadOnlyList<ActorView> Actors);

    public static ProblemView Problem(IntelProblem p) => new(p.File, p.Where, p.Message);

    public static RetroHuntView? RetroHunt(RetroHuntOutcome? o) =>
        o is null ? null : new(o.At, o.Since, o.Organisations, o.Examined, o.Found, o.Attributed, o.IncidentsRaised);
}
