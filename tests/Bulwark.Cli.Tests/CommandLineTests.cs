namespace Bulwark.Cli.Tests;

public sealed class CommandLineTests
{
    private const string CleanIis =
        "#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2021-03-03 00:00:00\n" +
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n" +
        "2021-03-03 08:00:00 10.0.0.5 GET /owa/auth/logon.aspx - 443 - 10.1.0.4 Mozilla/5.0 - 200 0 0 12\n";

    private const string AttackIis = CleanIis + "2021-03-03 08:01:00 10.0.0.5 POST /ecp/y.js - 443 - 192.0.2.7 python-requests/2.25.1 - 200 0 0 31\n";

    [Fact]
    public void Exchange_build_prints_missing_updates_and_the_action()
    {
        var (exit, output, error) = Cli.Run("exchange-build", "15.1.2106.2");

        Assert.Equal(ExitCodes.Findings, exit);
        Assert.Equal("", error);
        var lines = output.Split('\n');
        Assert.Equal("Build:    15.1.2106.2 (Exchange Server 2016 CU18)", lines[0]);
        Assert.Equal("Missing:", lines[1]);
        Assert.StartsWith("  Mar21SU KB5000871 [ProxyLogon]: CVE-2021-26855, ", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("(fixed in 15.1.2106.13)", lines[2], StringComparison.Ordinal);
        Assert.Contains("Action:   Install the March 2021 security update KB5000871 for Exchange Server 2016 CU18 (build 15.1.2106.13), then move to a supported CU (Exchange Server 2016 CU23)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Exchange_build_of_a_current_build_exits_clean()
    {
        var (exit, output, _) = Cli.Run("exchange-build", "15.2.2562.37");

        Assert.Equal(ExitCodes.Clean, exit);
        Assert.Contains("Missing:  none of the security updates Bulwark tracks", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("15.1")]
    [InlineData("fifteen")]
    [InlineData("15.1.2106.2.9")]
    public void Exchange_build_rejects_what_is_not_a_build(string text)
    {
        var (exit, output, error) = Cli.Run("exchange-build", text);

        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Equal("", output);
        Assert.Equal($"bulwark exchange-build: '{text}' is not an Exchange build number (expected four numbers such as 15.1.2106.2)\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Scan_without_path_is_a_usage_error()
    {
        var (exit, _, error) = Cli.Run("scan");

        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Equal("bulwark scan: a PATH to scan is required\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Scan_of_a_missing_path_is_a_usage_error()
    {
        var (exit, _, error) = Cli.Run("scan", "/nonexistent/bulwark/path");

        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Equal("bulwark scan: /nonexistent/bulwark/path: no such file or directory\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Unknown_format_is_a_usage_error()
    {
        using var dir = new TempDir();
        var (exit, output, error) = Cli.Run("scan", dir.Root, "--format", "xml");

        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Equal("", output);
        Assert.Contains("xml", error, StringComparison.Ordinal);
        Assert.Contains("Run 'bulwark --help' for usage.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--from", "yesterday")]
    [InlineData("--to", "2021-13-45")]
    public void Bad_times_are_usage_errors(string option, string value)
    {
        using var dir = new TempDir();
        var (exit, _, error) = Cli.Run("scan", dir.Root, option, value);

        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Equal($"bulwark scan: {option} '{value}': expected a UTC date or time such as 2021-03-02 or 2021-03-02T08:00:00Z\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void From_after_to_is_a_usage_error()
    {
        using var dir = new TempDir();
        var (exit, _, error) = Cli.Run("scan", dir.Root, "--from", "2021-03-05", "--to", "2021-03-01");

        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Equal("bulwark scan: --from is later than --to\n", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Clean_logs_exit_zero_with_a_table_saying_so()
    {
        using var dir = new TempDir();
        dir.Write("W3SVC1/u_ex210303.log", CleanIis);

        var (exit, output, error) = Cli.Run("scan", dir.Root);

        Assert.Equal(ExitCodes.Clean, exit);
        Assert.StartsWith("No findings.\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("W3SVC1", output, StringComparison.Ordinal);
        Assert.StartsWith("bulwark: no findings in 1 files (1 logs, 5 lines, ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_exit_one_and_quiet_prints_nothing_on_stderr()
    {
        using var dir = new TempDir();
        dir.Write("W3SVC1/u_ex210303.log", AttackIis);

        var (exit, output, error) = Cli.Run("scan", dir.Root, "-q", "--format", "jsonl");

        Assert.Equal(ExitCodes.Findings, exit);
        Assert.Equal("", error);
        var ids = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("detection").GetString())
            .Order(StringComparer.Ordinal);
        Assert.Equal(["exchange.intel.attacker-user-agent", "exchange.proxylogon.request"], ids);
    }

    [Fact]
    public void Bad_lines_are_reported_as_file_line_message_and_the_scan_goes_on()
    {
        using var dir = new TempDir();
        dir.Write("W3SVC1/u_ex210303.log", AttackIis + "2021-03-03 08:02:00 POST /ecp/x.js\n");

        var (exit, _, error) = Cli.Run("scan", dir.Root, "--format", "json");

        Assert.Equal(ExitCodes.Findings, exit);
        Assert.StartsWith("W3SVC1/u_ex210303.log:7: expected 15 space-separated fields (per #Fields), found 4\n", error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("json", "{")]
    [InlineData("jsonl", "{\"id\":\"BW-")]
    [InlineData("csv", "id,detection,title,severity,confidence,cves,attack,first_seen,last_seen,subject,evidence_count,evidence,remediation,source")]
    [InlineData("html", "<!DOCTYPE html>")]
    [InlineData("table", "╭")]
    public void Every_format_writes_to_the_output_file(string format, string start)
    {
        using var dir = new TempDir();
        dir.Write("logs/W3SVC1/u_ex210303.log", AttackIis);
        var file = Path.Combine(dir.Root, "report." + format);

        var (exit, output, _) = Cli.Run("scan", Path.Combine(dir.Root, "logs"), "--format", format, "--output", file, "-q");

        Assert.Equal(ExitCodes.Findings, exit);
        Assert.Equal("", output);
        Assert.StartsWith(start, File.ReadAllText(file), StringComparison.Ordinal);
    }

    [Fact]
    public void Unwritable_output_is_a_usage_error()
    {
        using var dir = new TempDir();
        dir.Write("W3SVC1/u_ex210303.log", CleanIis);

        var (exit, _, error) = Cli.Run("scan", dir.Root, "-q", "--output", Path.Combine(dir.Root, "no", "such", "dir", "r.json"));

        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.StartsWith($"bulwark scan: {Path.Combine(dir.Root, "no", "such", "dir", "r.json")}: cannot write: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void List_prefilter_prints_the_literals()
    {
        var (exit, output, _) = Cli.Run("scan", "--list-prefilter");

        Assert.Equal(ExitCodes.Clean, exit);
        var literals = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("ServerInfo~", literals);
        Assert.Contains("autodiscover.json", literals);
        Assert.Contains("5.2.69.14", literals);
        Assert.Equal(literals.Length, literals.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Baselines_without_build_is_a_usage_error()
    {
        using var dir = new TempDir();
        var csv = dir.Write("web-files.csv", "path,sha256,builds\n");

        var (exit, _, error) = Cli.Run("scan", dir.Root, "--baselines", csv);

        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.Equal("bulwark scan: --baselines needs the server's build: add --build, e.g. --build 15.1.2106.2\n", error.ReplaceLineEndings("\n"));
    }
}
