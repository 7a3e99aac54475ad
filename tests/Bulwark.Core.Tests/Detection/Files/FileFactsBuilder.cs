using System.Security.Cryptography;
using System.Text;
using Bulwark.Core.Detection;
using Bulwark.Core.Findings;
using Bulwark.Core.Sources;

namespace Bulwark.Core.Tests.Detection.Files;

/// <summary>Builds <see cref="FileFacts"/> the way the scanner does, and runs detectors over them.</summary>
internal static class FileFactsBuilder
{
    public static readonly DateTimeOffset Written = new(2021, 3, 3, 4, 5, 6, TimeSpan.Zero);

    public static FileFacts Of(string path, string content) => Of(path, Encoding.UTF8.GetBytes(content));

    public static FileFacts Of(string path, byte[] content) => new()
    {
        Path = path,
        Length = content.Length,
        LastWriteTime = Written,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
        Head = content.AsMemory(0, Math.Min(content.Length, FileFacts.HeadLimit)),
    };

    public static byte[] Utf16(string content) => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(content)];

    /// <summary>Asks for interest first, as the scanner does; a path-only detector gets no hash and no content.</summary>
    public static IReadOnlyList<Finding> Run(IFileDetector detector, FileFacts file)
    {
        var collector = new FindingCollector();
        switch (detector.Interest(file.Path))
        {
            case FileInterest.None:
                break;
            case FileInterest.PathOnly:
                detector.Inspect(new FileFacts { Path = file.Path, Length = file.Length, LastWriteTime = file.LastWriteTime }, collector);
                break;
            default:
                detector.Inspect(file, collector);
                break;
        }

        return collector.Build();
    }
}
