namespace Bulwark.Core.Detection.Files;

/// <summary>
/// Segment-aware, case-insensitive tests on input-tree paths ('/' separators, any prefix such as
/// <c>server1/C/</c>). A match must start at a segment boundary, so <c>wwwroot/</c> never matches <c>root/</c>.
/// </summary>
internal static class FilePaths
{
    /// <summary>Index where <paramref name="segments"/> (lower case, ending in '/') starts on a segment boundary, or -1.</summary>
    public static int IndexOfSegments(ReadOnlySpan<char> path, string segments)
    {
        var from = 0;
        while (from < path.Length)
        {
            var i = path[from..].IndexOf(segments, StringComparison.OrdinalIgnoreCase);
            if (i < 0)
            {
                return -1;
            }

            var at = from + i;
            if (at == 0 || path[at - 1] == '/')
            {
                return at;
            }

            from = at + 1;
        }

        return -1;
    }

    public static bool ContainsSegments(ReadOnlySpan<char> path, string segments) => IndexOfSegments(path, segments) >= 0;

    public static ReadOnlySpan<char> FileName(ReadOnlySpan<char> path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>The extension with its dot (<c>.aspx</c>), or empty.</summary>
    public static ReadOnlySpan<char> Extension(ReadOnlySpan<char> path)
    {
        var name = FileName(path);
        var dot = name.LastIndexOf('.');
        return dot < 0 ? [] : name[dot..];
    }

    /// <summary>Pages IIS runs as server code. Exchange ships no classic ASP, so <c>.asp</c> counts too.</summary>
    public static bool IsScriptPage(ReadOnlySpan<char> extension) =>
        Is(extension, ".aspx") || Is(extension, ".ashx") || Is(extension, ".asmx") || Is(extension, ".asax")
        || Is(extension, ".svc") || Is(extension, ".asp");

    /// <summary>Files whose content the web-shell scan reads: script pages and <c>.config</c> (a web.config can map itself to a script engine).</summary>
    public static bool IsContentScanned(ReadOnlySpan<char> extension) => IsScriptPage(extension) || Is(extension, ".config");

    /// <summary>A build-numbered folder such as <c>15.1.2106</c> or <c>15.1.2106.2</c>.</summary>
    public static bool IsVersionSegment(ReadOnlySpan<char> segment)
    {
        if (segment.IsEmpty || !char.IsAsciiDigit(segment[0]) || !char.IsAsciiDigit(segment[^1]))
        {
            return false;
        }

        var dots = 0;
        foreach (var c in segment)
        {
            if (c == '.')
            {
                dots++;
            }
            else if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return dots > 0;
    }

    private static bool Is(ReadOnlySpan<char> extension, string expected) => extension.Equals(expected, StringComparison.OrdinalIgnoreCase);
}
