using System.Globalization;
using Bulwark.Core.Findings;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Detection.Files;

/// <summary>
/// Archives under <c>ProgramData</c>, where HAFNIUM staged mailbox exports and stolen files with 7-Zip before
/// exfiltration. Common for legitimate software too, so low confidence alone: Test-ProxyLogon lists them only as context.
/// </summary>
public sealed class StagedArchiveDetector : IFileDetector
{
    public static readonly Findings.Detection StagedArchive = new(
        "exchange.postexploit.staged-archive",
        "Archive under ProgramData, where attackers staged stolen mail before taking it",
        Severity.Medium,
        Confidence.Low,
        [],
        ["T1560.001", "T1074.001"],
        "Check who created the archive and what it holds: copy it to an analysis machine and open it there, not on the server. "
            + "If it holds mailbox exports (.pst), LSASS dumps or files you do not recognise, treat the server as compromised: isolate it, "
            + "preserve the archive and the IIS and Exchange logs, hunt for web shells, reset the credentials of accounts used on the server "
            + "and rebuild it if credentials were taken. If it is a known backup or software package, no action is needed.",
        "microsoft/CSS-Exchange Test-ProxyLogon.ps1 (.7z/.zip/.rar under %ProgramData%, reported as context); MSTIC HAFNIUM blog (7-Zip to C:\\ProgramData\\it.zip)");

    public static IReadOnlyList<Findings.Detection> Detections { get; } = [StagedArchive];

    public FileInterest Interest(string path) => IsStagedArchive(path) ? FileInterest.PathOnly : FileInterest.None;

    public void Inspect(FileFacts file, FindingCollector findings)
    {
        if (!IsStagedArchive(file.Path))
        {
            return;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["path"] = file.Path,
            ["size"] = file.Length.ToString(CultureInfo.InvariantCulture),
            ["reason"] = "archive under ProgramData",
            ["matched"] = FilePaths.Extension(file.Path).ToString(),
        };
        if (file.Sha256 is { } sha)
        {
            fields["sha256"] = sha;
        }

        findings.Add(StagedArchive, file.Path, new Evidence(file.Path, 0, file.LastWriteTime, fields));
    }

    private static bool IsStagedArchive(string path)
    {
        var extension = FilePaths.Extension(path);
        return (extension.Equals(".7z", StringComparison.OrdinalIgnoreCase)
                || extension.Equals(".zip", StringComparison.OrdinalIgnoreCase)
                || extension.Equals(".rar", StringComparison.OrdinalIgnoreCase))
            && FilePaths.ContainsSegments(path, "programdata/");
    }
}
