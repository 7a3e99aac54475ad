using Bulwark.Server.Ingestion;

namespace Bulwark.Server.Tests;

/// <summary>Upload names become safe file names: the last segment, no reserved characters, no "..".</summary>
public sealed class IngestionFileNameTests
{
    [Theory]
    [InlineData("u_ex210303.log", "u_ex210303.log")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex210303.log", "u_ex210303.log")]
    [InlineData("logs..tar.gz", "logs.tar.gz")]
    [InlineData("...hidden.zip", "hidden.zip")]
    [InlineData("a<b>c:d|e?f*g\".log", "abcdefg.log")]
    [InlineData("tab\tnew\nline.log", "tabnewline.log")]
    [InlineData(null, "upload")]
    [InlineData("   ", "upload")]
    [InlineData("..", null)]
    [InlineData("/", null)]
    [InlineData("a/b/..", null)]
    public void Names_are_sanitised(string? name, string? expected)
    {
        Assert.Equal(expected, UploadFiles.Sanitise(name));
    }

    [Fact]
    public void Long_names_keep_their_extension()
    {
        var name = UploadFiles.Sanitise(new string('a', 500) + ".tar.gz");

        Assert.Equal(UploadFiles.MaxNameLength, name!.Length);
        Assert.EndsWith("a.gz", name, StringComparison.Ordinal);
    }
}
