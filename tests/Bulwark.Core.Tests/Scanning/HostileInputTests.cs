using System.IO.Compression;
using System.Text;
using Bulwark.Core.Tests.Support;
using static Bulwark.Core.Tests.Support.LogBuilder;

namespace Bulwark.Core.Tests.Scanning;

public sealed class HostileInputTests
{
    private static readonly string AttackIis = IisHeader() + IisLine("07:00:00", "POST", "/ecp/y.js", "", "192.0.2.31", "x", 200);

    [Fact]
    public void Symbolic_links_in_the_tree_are_reported_and_not_followed()
    {
        using var tree = new TempTree();
        using var outside = new TempTree();
        outside.Write("secret/W3SVC1/u_ex210303.log", AttackIis);
        tree.Write("W3SVC1/u_ex210304.log", IisHeader());
        File.CreateSymbolicLink(Path.Combine(tree.Root, "escape"), Path.Combine(outside.Root, "secret"));

        var result = Scan.Path(tree.Root);

        Assert.Empty(result.Attacks());
        Assert.Equal(["escape: symbolic link not followed"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Archives_nested_too_deep_are_refused()
    {
        // logs.zip ⊃ a.zip ⊃ b.zip ⊃ c.zip ⊃ the log: the fourth level is refused.
        var inner = Encoding.UTF8.GetBytes(AttackIis);
        var name = "W3SVC1/u_ex210303.log";
        foreach (var level in new[] { "c.zip", "b.zip", "a.zip" })
        {
            inner = Zip(name, inner);
            name = level;
        }

        using var tree = new TempTree();
        tree.Write("logs.zip", Zip(name, inner));
        var result = Scan.Path(tree.Root);

        Assert.Empty(result.Attacks());
        Assert.Equal(["logs.zip/a.zip/b.zip/c.zip: archive nested deeper than 3 levels; refused"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Archive_nested_within_the_limit_is_scanned()
    {
        using var tree = new TempTree();
        tree.Write("logs.zip", Zip("inner.zip", Zip("W3SVC1/u_ex210303.log", Encoding.UTF8.GetBytes(AttackIis))));

        var result = Scan.Path(tree.Root);

        var finding = Assert.Single(result.Of("exchange.proxylogon.request"));
        Assert.Equal(("logs.zip/inner.zip/W3SVC1/u_ex210303.log", 5L), (finding.Evidence[0].File, finding.Evidence[0].Line));
    }

    [Fact]
    public void Zip_symbolic_link_entry_is_refused()
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            var link = zip.CreateEntry("W3SVC1/u_ex210303.log");
            link.ExternalAttributes = unchecked((int)(0xA1FFu << 16)); // S_IFLNK | 0777
            using (var w = new StreamWriter(link.Open()))
            {
                w.Write("/etc/passwd");
            }
        }

        using var tree = new TempTree();
        tree.Write("logs.zip", ms.ToArray());
        var result = Scan.Path(tree.Root);

        Assert.Equal(["logs.zip: logs.zip/W3SVC1/u_ex210303.log: symbolic link entry refused"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Truncated_log_without_final_newline_still_yields_its_last_line()
    {
        var result = Scan.Files((Scan.Iis, AttackIis.TrimEnd('\n')));

        var finding = Assert.Single(result.Of("exchange.proxylogon.request"));
        Assert.Equal(5, finding.Evidence[0].Line);
        Assert.Equal(5, result.Statistics.Lines);
        Assert.Equal(new DateTimeOffset(2021, 3, 3, 7, 0, 0, TimeSpan.Zero), result.Coverage[0].Latest);
    }

    [Fact]
    public void Binary_garbage_with_a_log_name_is_reported_not_fatal()
    {
        var random = new Random(7);
        var garbage = new byte[200_000];
        random.NextBytes(garbage);
        using var tree = new TempTree();
        tree.Write(Scan.Iis, garbage);
        tree.Write("inetpub/logs/LogFiles/W3SVC1/u_ex210304.log", AttackIis);

        var result = Scan.Path(tree.Root);

        Assert.Single(result.Of("exchange.proxylogon.request"));
        Assert.All(result.Errors, e => Assert.Equal(Scan.Iis, e.File));
        Assert.NotEmpty(result.Errors);
    }

    private static byte[] Zip(string name, byte[] content)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var s = zip.CreateEntry(name).Open();
            s.Write(content);
        }

        return ms.ToArray();
    }
}
