namespace Bulwark.Server.Intel;

/// <summary>After a source changed: rebuild the intel set, and when new content arrived, hunt the recent findings with it.</summary>
public sealed class IntelRefresher(CurrentIntel current, RetroHunter hunter)
{
    public sealed record Outcome(IntelSnapshot Snapshot, RetroHuntOutcome? RetroHunt);

    /// <summary>The current set, built first when there is none yet.</summary>
    public Task<IntelSnapshot> CurrentAsync(CancellationToken ct) => current.GetAsync(ct);

    /// <param name="newContent">True when indicators may have been added (an upload, a poll that stored objects, a source enabled).</param>
    public async Task<Outcome> RefreshAsync(bool newContent, CancellationToken ct)
    {
        var snapshot = await current.RebuildAsync(ct);
        var hunt = newContent ? await hunter.RunAsync(snapshot.Set, ct) : null;
        return new Outcome(snapshot, hunt);
    }
}
