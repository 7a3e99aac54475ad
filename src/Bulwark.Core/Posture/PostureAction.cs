namespace Bulwark.Core.Posture;

/// <summary>Writes a report's plain-language next step.</summary>
internal static class PostureAction
{
    /// <param name="inTable">Whether the build belongs to a CU of the table (Exchange 2010's has no CU name).</param>
    /// <param name="upgradeAdvice">The product's CU advice, e.g. "move to a supported CU (Exchange Server 2016 CU23) and install its latest security update".</param>
    public static string Describe(PostureReport report, bool inTable, string upgradeAdvice)
    {
        var build = report.Build;
        var label = report.CuName is null ? report.ProductName : $"{report.ProductName} {report.CuName}";
        var latest = report.LatestUpdate;
        if (!inTable)
        {
            return $"Build {build} is older than every CU in Bulwark's table: {upgradeAdvice}.";
        }

        if (report.MissingUpdates.Count == 0)
        {
            if (latest is null)
            {
                return $"No security update tracked by Bulwark is missing, but {label} no longer receives security updates: {upgradeAdvice}.";
            }

            return build < latest.Build
                ? $"No security update tracked by Bulwark is missing. The newest available update for {label} is {latest.Key} (build {latest.Build})."
                : $"No security update tracked by Bulwark is missing; {label} is at or past its newest known update ({latest.Key}, build {latest.Build}).";
        }

        // Updates are cumulative per CU: the newest one this CU got brings the earlier ones too.
        var install = report.MissingUpdates.Where(m => m.FixedBuild is not null).MaxBy(m => m.FixedBuild!.Value);
        var neverShipped = report.MissingUpdates.Where(m => m.FixedBuild is null).ToArray();
        string action;
        if (install is null)
        {
            action = $"{Capitalize(upgradeAdvice)}.";
        }
        else
        {
            action = $"Install the {install.Title} {install.Kb} for {label} (build {install.FixedBuild})";
            if (neverShipped.Length > 0)
            {
                action += $", then {upgradeAdvice}.";
            }
            else if (latest is not null && latest.Build > install.FixedBuild!.Value)
            {
                action += $" or, better, the newest update for this CU, {latest.Key} (build {latest.Build}).";
            }
            else
            {
                action += ".";
            }
        }

        if (neverShipped.Length > 0)
        {
            var campaigns = neverShipped.Select(m => m.Campaign).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
            var names = JoinAnd([.. neverShipped.Select(m => m.Key)]) + (campaigns.Length > 0 ? $" ({string.Join(", ", campaigns)})" : "");
            action += $" {label} never received {names}: {(neverShipped.Length == 1 ? "its" : "their")} fixes need the CU upgrade.";
        }

        return action;
    }

    private static string JoinAnd(string[] items) =>
        items.Length == 1 ? items[0] : $"{string.Join(", ", items[..^1])} and {items[^1]}";

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
