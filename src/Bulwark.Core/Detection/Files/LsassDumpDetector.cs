using System.Globalization;
using Bulwark.Core.Findings;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Detection.Files;

/// <summary>
/// LSASS memory dumps left on disk (<c>lsass*.dmp</c>, also compressed as <c>lsass*.dmp.zip</c>), decided from
/// the path alone. Where HAFNIUM wrote them (<c>C:\root</c>, <c>Windows\Temp</c>, the web roots) is critical;
/// anywhere else it is still credential material on disk.
/// </summary>
public sealed class LsassDumpDetector : IFileDetector
{
    private const string Remediation =
        "Assume every credential used on this server is stolen. 1) Isolate the server now. "
        + "2) Preserve the dump's path, timestamps and hash and the IIS and security logs of the period, then remove the dump "
        + "securely: it holds usable password hashes and tickets. "
        + "3) Reset the passwords of every account that signed in on the server since the dump was written, privileged and "
        + "Exchange service accounts first; if a domain administrator had signed in, reset the krbtgt account twice. "
        + "4) Find how the attacker got administrative code execution (web shells, Exchange vulnerabilities) and close it. "
        + "5) Rebuild the server from clean media: a dump means the attacker ran code as an administrator on it.";

    private const string Source =
        "MSTIC HAFNIUM blog (procdump -ma lsass.exe C:\\windows\\temp\\lsass.dmp); microsoft/CSS-Exchange Test-ProxyLogon.ps1 "
        + "(lsass.*dmp under C:\\root and %WINDIR%\\temp); SigmaHQ bbb2dedd (comsvcs.dll MiniDump into inetpub)";

    public static readonly Findings.Detection AttackerLocation = new(
        "exchange.postexploit.lsass-dump",
        "LSASS memory dump (stolen credentials) where attackers on Exchange servers write them",
        Severity.Critical,
        Confidence.High,
        [],
        ["T1003.001"],
        Remediation,
        Source);

    public static readonly Findings.Detection OtherLocation = new(
        "exchange.postexploit.lsass-dump-other",
        "LSASS memory dump (credential material) on the server",
        Severity.High,
        Confidence.Medium,
        [],
        ["T1003.001"],
        Remediation,
        Source);

    public static IReadOnlyList<Findings.Detection> Detections { get; } = [AttackerLocation, OtherLocation];

    public FileInterest Interest(string path) => IsLsassDump(FilePaths.FileName(path)) ? FileInterest.PathOnly : FileInterest.None;

    public void Inspect(FileFacts file, FindingCollector findings)
    {
        if (!IsLsassDump(FilePaths.FileName(file.Path)))
        {
            return;
        }

        var where = AttackerFolder(file.Path);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["path"] = file.Path,
            ["size"] = file.Length.ToString(CultureInfo.InvariantCulture),
            ["reason"] = where is null ? "LSASS dump file name" : $"LSASS dump file name under {where}",
            ["matched"] = FilePaths.FileName(file.Path).ToString(),
        };
        if (file.Sha256 is { } sha)
        {
            fields["sha256"] = sha;
        }

        findings.Add(where is null ? OtherLocation : AttackerLocation, file.Path, new Evidence(file.Path, 0, file.LastWriteTime, fields));
    }

    /// <summary><c>lsass*.dmp</c>, or a compressed copy such as <c>lsass.dmp.zip</c>.</summary>
    private static bool IsLsassDump(ReadOnlySpan<char> name) =>
        name.StartsWith("lsass", StringComparison.OrdinalIgnoreCase)
        && (name.EndsWith(".dmp", StringComparison.OrdinalIgnoreCase) || name.Contains(".dmp.", StringComparison.OrdinalIgnoreCase));

    private static string? AttackerFolder(string path)
    {
        if (FilePaths.ContainsSegments(path, "root/"))
        {
            return "root/";
        }

        if (FilePaths.ContainsSegments(path, "windows/temp/"))
        {
            return "Windows/Temp/";
        }

        return WebPath.TryParse(path, out var web) ? web.RootFolder : null;
    }
}
