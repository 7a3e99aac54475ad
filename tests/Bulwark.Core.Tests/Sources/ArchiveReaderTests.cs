using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Bulwark.Core.Sources.Archives;

namespace Bulwark.Core.Tests.Sources;

public sealed class ArchiveReaderTests
{
    private static (List<(string Path, string Content)> Entries, List<string> Refused) Read(byte[] archive, string name, ArchiveLimits? limits = null)
    {
        var entries = new List<(string, string)>();
        var refused = new List<string>();
        using var stream = new MemoryStream(archive);
        ArchiveReader.Read(
            stream,
            name,
            limits ?? ArchiveLimits.Default,
            e =>
            {
                using var reader = new StreamReader(e.Content, Encoding.UTF8, leaveOpen: true);
                entries.Add((e.Path, reader.ReadToEnd()));
            },
            refused.Add);
        return (entries, refused);
    }

    private static byte[] Zip(params (string Name, string Content)[] files)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                using var w = new StreamWriter(zip.CreateEntry(name).Open());
                w.Write(content);
            }
        }

        return ms.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(data);
        }

        return ms.ToArray();
    }

    private static byte[] Tar(params TarEntry[] entries)
    {
        using var ms = new MemoryStream();
        using (var tar = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var e in entries)
            {
                tar.WriteEntry(e);
            }
        }

        return ms.ToArray();
    }

    private static PaxTarEntry File(string name, string content) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };

    [Fact]
    public void Zip_entries_stream_with_the_archive_path_as_prefix()
    {
        var (entries, refused) = Read(Zip(("V15/Logging/HttpProxy/Ecp/a.LOG", "x1"), ("dir/", ""), ("b.log", "x2")), "logs.zip");

        Assert.Empty(refused);
        Assert.Equal([("logs.zip/V15/Logging/HttpProxy/Ecp/a.LOG", "x1"), ("logs.zip/b.log", "x2")], entries);
    }

    [Fact]
    public void Gz_holds_one_file_named_without_the_suffix()
    {
        var (entries, refused) = Read(Gzip(Encoding.UTF8.GetBytes("line\n")), "W3SVC1/u_ex210303.log.gz");

        Assert.Empty(refused);
        Assert.Equal([("W3SVC1/u_ex210303.log", "line\n")], entries);
    }

    [Fact]
    public void Tar_gz_entries_are_streamed_and_links_refused()
    {
        var link = new PaxTarEntry(TarEntryType.SymbolicLink, "etc-passwd") { LinkName = "/etc/passwd" };
        var archive = Gzip(Tar(File("inetpub/logs/LogFiles/W3SVC1/u_ex210303.log", "a"), link, File("x/b.log", "b")));

        var (entries, refused) = Read(archive, "server.tar.gz");

        Assert.Equal([("server.tar/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log", "a"), ("server.tar/x/b.log", "b")], entries);
        Assert.Equal(["server.tar/etc-passwd: link entry (to '/etc/passwd') refused"], refused);
    }

    [Theory]
    [InlineData("../../etc/cron.d/evil", "entry '../../etc/cron.d/evil' climbs out of the archive (../)")]
    [InlineData("a/../../b.log", "entry 'a/../../b.log' climbs out of the archive (../)")]
    [InlineData("/etc/passwd", "entry '/etc/passwd' has an absolute path")]
    [InlineData("C:\\Windows\\win.ini", "entry 'C:\\Windows\\win.ini' has an absolute path")]
    public void Zip_entries_that_escape_are_refused_and_the_rest_read(string hostile, string reason)
    {
        var (entries, refused) = Read(Zip((hostile, "evil"), ("ok.log", "fine")), "x.zip");

        Assert.Equal([("x.zip/ok.log", "fine")], entries);
        Assert.Equal([$"x.zip: {reason}; refused"], refused);
    }

    [Fact]
    public void Tar_entry_with_dot_dot_is_refused()
    {
        var (entries, refused) = Read(Tar(File("../escape.log", "evil"), File("ok.log", "fine")), "x.tar");

        Assert.Equal([("x.tar/ok.log", "fine")], entries);
        Assert.Equal(["x.tar: entry '../escape.log' climbs out of the archive (../); refused"], refused);
    }

    [Fact]
    public void Gzip_bomb_is_stopped_by_the_ratio_limit()
    {
        var bomb = Gzip(new byte[8 << 20]); // 8 MiB of zeros compress about 1000:1
        var limits = new ArchiveLimits { MaxRatio = 100, RatioGraceBytes = 1 << 20 };

        var refused = new List<string>();
        long read = 0;
        using var stream = new MemoryStream(bomb);
        ArchiveReader.Read(stream, "bomb.log.gz", limits, e => read = Drain(e.Content), refused.Add);

        Assert.Equal(["bomb.log: compression ratio above 100:1 (a decompression bomb?); rest of entry refused"], refused);
        Assert.True(read < 8 << 20, "the bomb must not be expanded whole");
    }

    [Fact]
    public void Zip_bomb_is_refused_from_its_declared_sizes()
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var s = zip.CreateEntry("zeros.log", CompressionLevel.SmallestSize).Open();
            s.Write(new byte[4 << 20]);
        }

        var (entries, refused) = Read(ms.ToArray(), "bomb.zip", new ArchiveLimits { MaxRatio = 100, RatioGraceBytes = 1 << 20 });

        Assert.Empty(entries);
        Assert.Single(refused);
        Assert.StartsWith("bomb.zip/zeros.log: declared compression ratio ", refused[0], StringComparison.Ordinal);
        Assert.EndsWith(":1 exceeds 100:1 (a decompression bomb?); refused", refused[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_and_garbage_archives_are_reported_not_thrown()
    {
        var zip = Zip(("a.log", new string('x', 5000)));
        var (_, refusedZip) = Read(zip[..(zip.Length / 2)], "cut.zip");
        var gz = Gzip(Encoding.UTF8.GetBytes(new string('y', 100_000)));
        var gzEntries = new List<string>();
        var refusedGz = new List<string>();
        using (var stream = new MemoryStream(gz[..(gz.Length / 2)]))
        {
            ArchiveReader.Read(stream, "cut.log.gz", ArchiveLimits.Default, e => Drain(e.Content), refusedGz.Add);
        }

        var (_, refusedJunk) = Read(Encoding.UTF8.GetBytes("not an archive at all"), "junk.zip");

        Assert.StartsWith("cut.zip: not a readable archive (", Assert.Single(refusedZip), StringComparison.Ordinal);
        Assert.StartsWith("cut.log.gz: truncated or corrupt gzip: trailer says ", Assert.Single(refusedGz), StringComparison.Ordinal);
        Assert.StartsWith("junk.zip: not a readable archive (", Assert.Single(refusedJunk), StringComparison.Ordinal);
    }

    private static long Drain(Stream s)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = s.Read(buffer)) > 0)
        {
            total += n;
        }

        return total;
    }
}
