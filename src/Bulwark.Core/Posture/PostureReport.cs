namespace Bulwark.Core.Posture;

/// <summary>What one Exchange build lacks of the security updates Bulwark tracks, and what to install.</summary>
/// <param name="CuName">"CU18", "RTM" (Exchange SE); null when the build is older than every CU in the table, newer than the table or not Exchange.</param>
/// <param name="IsKnownBuild">True when this exact build is listed in Bulwark's table (a CU release, a security update or a CU's newest update).</param>
/// <param name="MissingUpdates">In release order.</param>
/// <param name="UnpatchedCves">Every CVE of <paramref name="MissingUpdates"/>, sorted.</param>
/// <param name="LatestUpdate">The newest update known for the build's CU, when that CU is still serviced.</param>
/// <param name="Action">Plain-language next step: the exact update to install, or the CU to move to.</param>
public sealed record PostureReport(
    ExchangeBuild Build,
    ExchangeProduct Product,
    string? ProductName,
    string? CuName,
    bool IsKnownBuild,
    IReadOnlyList<MissingSecurityUpdate> MissingUpdates,
    IReadOnlyList<string> UnpatchedCves,
    AvailableUpdate? LatestUpdate,
    string Action);

/// <summary>A security update (SU) the build lacks.</summary>
/// <param name="Key">HealthChecker's SU key, e.g. "Mar21SU".</param>
/// <param name="Title">E.g. "March 2021 security update".</param>
/// <param name="Campaign">The exploitation campaign its CVEs are known by (ProxyLogon, ProxyShell, ProxyNotShell).</param>
/// <param name="FixedBuild">The build that fixes it on the server's CU; null when that CU never got this update.</param>
public sealed record MissingSecurityUpdate(
    string Key,
    string Title,
    string Kb,
    string? Campaign,
    IReadOnlyList<string> Cves,
    ExchangeBuild? FixedBuild);

/// <summary>An update Microsoft released for a CU, e.g. Feb26SU = 15.1.2507.66 on Exchange Server 2016 CU23.</summary>
public sealed record AvailableUpdate(string Key, ExchangeBuild Build);
