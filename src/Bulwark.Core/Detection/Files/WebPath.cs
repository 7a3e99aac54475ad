namespace Bulwark.Core.Detection.Files;

/// <summary>Which web root a file sits under.</summary>
internal enum WebRoot
{
    /// <summary><c>&lt;install&gt;/FrontEnd/HttpProxy/</c>: the front end (CAS) web folders.</summary>
    ExchangeFrontEnd = 0,

    /// <summary><c>&lt;install&gt;/ClientAccess/</c>: the back-end web folders.</summary>
    ExchangeClientAccess = 1,

    /// <summary><c>inetpub/wwwroot/</c>: the IIS default web site.</summary>
    IisWwwroot = 2,
}

/// <summary>
/// A path under a web root, found by the known segment sequences (not by install location, so custom
/// install roots and collected copies with any prefix work). <see cref="Relative"/> keeps the file's letter case.
/// </summary>
internal readonly record struct WebPath(WebRoot Root, string Relative)
{
    private static readonly (string Anchor, WebRoot Root)[] Anchors =
    [
        ("frontend/httpproxy/", WebRoot.ExchangeFrontEnd),
        ("clientaccess/", WebRoot.ExchangeClientAccess),
        ("inetpub/wwwroot/", WebRoot.IisWwwroot),
    ];

    /// <summary>The file name.</summary>
    public ReadOnlySpan<char> Name => FilePaths.FileName(Relative);

    /// <summary>The folder below the root, e.g. <c>owa/auth</c>; empty for a file directly in the root.</summary>
    public ReadOnlySpan<char> Folder
    {
        get
        {
            var slash = Relative.LastIndexOf('/');
            return slash < 0 ? [] : Relative.AsSpan(0, slash);
        }
    }

    public bool IsExchange => Root is WebRoot.ExchangeFrontEnd or WebRoot.ExchangeClientAccess;

    /// <summary>The anchor as written in evidence, e.g. <c>inetpub/wwwroot/</c>.</summary>
    public string RootFolder => Root switch
    {
        WebRoot.ExchangeFrontEnd => "FrontEnd/HttpProxy/",
        WebRoot.ExchangeClientAccess => "ClientAccess/",
        _ => "inetpub/wwwroot/",
    };

    /// <summary>Finds the first web-root anchor in <paramref name="path"/>; false when the file is under none.</summary>
    public static bool TryParse(string path, out WebPath webPath)
    {
        var best = -1;
        var bestLength = 0;
        var root = WebRoot.ExchangeFrontEnd;
        foreach (var (anchor, r) in Anchors)
        {
            var at = FilePaths.IndexOfSegments(path, anchor);
            if (at >= 0 && (best < 0 || at < best))
            {
                best = at;
                bestLength = anchor.Length;
                root = r;
            }
        }

        if (best < 0 || best + bestLength >= path.Length)
        {
            webPath = default;
            return false;
        }

        webPath = new WebPath(root, path[(best + bestLength)..]);
        return true;
    }
}
