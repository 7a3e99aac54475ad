using System.Buffers;
using System.Text;

namespace Bulwark.Core.Detection.Files;

/// <summary>The content rules of the web-shell scan; a page can match several.</summary>
[Flags]
internal enum ContentRule
{
    None = 0,

    /// <summary>China Chopper: <c>eval</c>/<c>execute</c> applied straight to request input (<c>eval(Request.Item["x"],"unsafe")</c>, <c>eval request("x")</c>).</summary>
    EvalRequest = 1,

    /// <summary>A JScript .NET server page (<c>&lt;%@ Page Language="Jscript"%&gt;</c> or <c>&lt;script runat="server" language="JScript"&gt;</c>). Exchange pages are C#; JScript pages are the Chopper family.</summary>
    JScriptServerPage = 2,

    /// <summary><c>Page_Load</c> together with <c>eval(</c>.</summary>
    PageLoadEval = 4,

    /// <summary>A process API (<c>ProcessStartInfo</c>, <c>WScript.Shell</c>, …) together with a shell (<c>cmd.exe</c>, <c>cmd /c</c>, <c>powershell.exe</c>).</summary>
    CommandShell = 8,

    /// <summary>Server script inside a file that starts as an image, a PST or a certificate (ProxyShell mailbox and certificate exports, <c>GIF89a</c> prefixes).</summary>
    ScriptInBinary = 16,

    /// <summary>MSTIC <c>WEBSHELL_CVE_2021_27065_Webshells</c>: an OAB virtual-directory configuration saved as a page (&lt; 50 KB).</summary>
    OabVirtualDirectoryConfig = 32,
}

/// <summary>One content rule that matched, its short name and the text in the file that matched it.</summary>
internal sealed record ContentHit(ContentRule Rule, string Name, string Text)
{
    public override string ToString() => Name + ": " + Text;
}

/// <summary>What the content scan found: the rules that matched and the cert-lv keywords present.</summary>
internal sealed record ContentMatch(ContentRule Rules, IReadOnlyList<ContentHit> Hits, IReadOnlyList<string> Keywords);

/// <summary>
/// Case-insensitive marker scan of a page's first bytes, seeing ASCII/UTF-8 text and UTF-16LE ("wide") text at
/// either byte alignment, like YARA's <c>nocase ascii wide</c>. One <see cref="SearchValues{T}"/> pass per view
/// finds every marker; positional checks (what follows <c>eval</c>, which tag declares JScript) run only at hits.
/// </summary>
internal static class WebShellContent
{
    /// <summary>MSTIC's rule applies to files under 50 KB (YARA <c>filesize &lt; 50KB</c>).</summary>
    public const long OabRuleMaxLength = 50 * 1024;

    private const int ExcerptLength = 60;

    /// <summary>cert-lv <c>detect_webshells.ps1</c> keywords, in its order (<c>eval\s?\(</c> and <c>process\s?\(</c> shown as <c>eval(</c>, <c>process(</c>).</summary>
    public static readonly IReadOnlyList<string> CertLvKeywords =
    [
        "wscript", "vbscript", "visualbasic", "jscript", "eval(", "process(", "eval_r", "executestatement",
        "processstartinfo", "os.run", "convert.frombase64string", "request.headers", "createobject",
        "filesystemobject", "httppostedfile", "system.io.file", "writealltext", "cmd.exe", "cmd /c",
        "powershell.exe", "net user", "net group", "lsass.exe", "procdump", "whoami", "ping.exe", "new socket",
        "binarywrite", "assembly.load", "compileassemblyfromsource", "aesenc", "webshell",
    ];

    private static readonly Token[] Tokens = BuildTokens();

    private static readonly SearchValues<string> TokenSearch =
        SearchValues.Create(Tokens.Select(t => t.Text).ToArray(), StringComparison.OrdinalIgnoreCase);

    [Flags]
    private enum Role
    {
        None = 0,
        Keyword = 1 << 0,
        EvalWord = 1 << 1,
        EvalCall = 1 << 2,
        JScriptName = 1 << 3,
        PageLoad = 1 << 4,
        ExecApi = 1 << 5,
        ShellBinary = 1 << 6,
        ServerMarker = 1 << 7,
        OabUrl = 1 << 8,
        OabAuth = 1 << 9,
        OabTokenChecking = 1 << 10,
        OabGate = 1 << 11,
    }

    private const int RoleCount = 12;

    public static ContentMatch Scan(ReadOnlySpan<byte> head, long length)
    {
        var state = new State();
        if (head.IsEmpty)
        {
            return state.ToMatch(head, length);
        }

        var buffer = ArrayPool<char>.Shared.Rent(head.Length);
        try
        {
            var n = Encoding.Latin1.GetChars(head, buffer);
            ScanView(buffer.AsSpan(0, n), state);

            // Text without NUL bytes holds no UTF-16 code units worth decoding.
            if (head.Contains((byte)0))
            {
                n = Encoding.Unicode.GetChars(head[..(head.Length & ~1)], buffer);
                ScanView(buffer.AsSpan(0, n), state);
                var odd = head[1..];
                n = Encoding.Unicode.GetChars(odd[..(odd.Length & ~1)], buffer);
                ScanView(buffer.AsSpan(0, n), state);
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }

        return state.ToMatch(head, length);
    }

    private static void ScanView(ReadOnlySpan<char> view, State state)
    {
        var from = 0;
        while (from < view.Length)
        {
            var i = view[from..].IndexOfAny(TokenSearch);
            if (i < 0)
            {
                return;
            }

            var at = from + i;
            var rest = view[at..];
            foreach (var token in Tokens)
            {
                if (rest.StartsWith(token.Text, StringComparison.OrdinalIgnoreCase))
                {
                    Apply(token, view, at, state);
                }
            }

            from = at + 1;
        }
    }

    private static void Apply(Token token, ReadOnlySpan<char> view, int at, State state)
    {
        if (token.Keyword >= 0)
        {
            state.Keywords[token.Keyword] = true;
        }

        var text = view.Slice(at, token.Text.Length);
        for (var bit = 1; bit < RoleCount; bit++)
        {
            if ((token.Roles & (Role)(1 << bit)) != 0)
            {
                state.First[bit] ??= Clean(text);
            }
        }

        if ((token.Roles & Role.EvalWord) != 0 && state.EvalRequest is null && AppliesToRequestInput(view, at + token.Text.Length))
        {
            state.EvalRequest = Excerpt(view, at, ExcerptLength);
        }

        if ((token.Roles & Role.JScriptName) != 0 && state.JScriptTag is null && IsLanguageValue(view, at)
            && ServerSideTag(view, at) is { } tag)
        {
            state.JScriptTag = tag;
        }
    }

    /// <summary>After <c>eval</c>/<c>execute</c>: a separator, then <c>Request[</c>, <c>Request(</c>, <c>Request.Item</c>, <c>.Form</c>, <c>.QueryString</c> or <c>.Params</c>.</summary>
    private static bool AppliesToRequestInput(ReadOnlySpan<char> view, int pos)
    {
        var i = SkipSpace(view, pos);
        var separated = i > pos;
        if (i < view.Length && view[i] == '(')
        {
            separated = true;
            i = SkipSpace(view, i + 1);
        }

        if (!separated || !view[i..].StartsWith("request", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var after = view[(i + "request".Length)..];
        return !after.IsEmpty
            && (after[0] is '[' or '('
                || after.StartsWith(".item", StringComparison.OrdinalIgnoreCase)
                || after.StartsWith(".form", StringComparison.OrdinalIgnoreCase)
                || after.StartsWith(".querystring", StringComparison.OrdinalIgnoreCase)
                || after.StartsWith(".params", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>True when the word at <paramref name="at"/> is the value of a <c>language=</c> attribute (quoted or not).</summary>
    private static bool IsLanguageValue(ReadOnlySpan<char> view, int at)
    {
        var i = at - 1;
        if (i >= 0 && view[i] is '"' or '\'')
        {
            i--;
        }

        i = SkipSpaceBack(view, i);
        if (i < 0 || view[i] != '=')
        {
            return false;
        }

        i = SkipSpaceBack(view, i - 1);
        const string language = "language";
        return i + 1 >= language.Length && view[(i + 1 - language.Length)..(i + 1)].Equals(language, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The enclosing tag's text when it is a page directive (<c>&lt;%@</c>) or a <c>&lt;script runat="server"&gt;</c> tag; otherwise null.</summary>
    private static string? ServerSideTag(ReadOnlySpan<char> view, int at)
    {
        var before = view[..at];
        var lt = before.LastIndexOf('<');
        if (lt < 0 || at - lt > 512 || before[lt..].Contains('>'))
        {
            return null;
        }

        var gt = view[at..].IndexOf('>');
        var end = gt < 0 ? view.Length : at + gt + 1;
        var tag = view[lt..end];
        var serverSide = tag.StartsWith("<%@", StringComparison.Ordinal)
            || (tag.StartsWith("<script", StringComparison.OrdinalIgnoreCase)
                && tag.Contains("runat", StringComparison.OrdinalIgnoreCase)
                && tag.Contains("server", StringComparison.OrdinalIgnoreCase));
        return serverSide ? Excerpt(view, lt, Math.Min(tag.Length, 2 * ExcerptLength)) : null;
    }

    private static int SkipSpace(ReadOnlySpan<char> view, int i)
    {
        var limit = Math.Min(view.Length, i + 8);
        while (i < limit && view[i] is ' ' or '\t' or '\r' or '\n')
        {
            i++;
        }

        return i;
    }

    private static int SkipSpaceBack(ReadOnlySpan<char> view, int i)
    {
        var limit = Math.Max(-1, i - 8);
        while (i > limit && view[i] is ' ' or '\t' or '\r' or '\n')
        {
            i--;
        }

        return i;
    }

    /// <summary>Up to <paramref name="max"/> characters from <paramref name="start"/>, cut at the line end, control characters as spaces.</summary>
    private static string Excerpt(ReadOnlySpan<char> view, int start, int max)
    {
        var text = view.Slice(start, Math.Min(max, view.Length - start));
        var eol = text.IndexOfAny('\r', '\n');
        if (eol >= 0)
        {
            text = text[..eol];
        }

        return Clean(text);
    }

    private static string Clean(ReadOnlySpan<char> text) => string.Create(text.Length, text, static (dst, src) =>
    {
        for (var i = 0; i < src.Length; i++)
        {
            dst[i] = char.IsControl(src[i]) ? ' ' : src[i];
        }
    }).Trim();

    /// <summary>Formats whose files are never text pages; server script inside them is a smuggled web shell.</summary>
    private static string? ForeignFormat(ReadOnlySpan<byte> head) => head switch
    {
        [(byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'7' or (byte)'9', (byte)'a', ..] => "GIF image header",
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => "PNG image header",
        [0xFF, 0xD8, 0xFF, ..] => "JPEG image header",
        [(byte)'!', (byte)'B', (byte)'D', (byte)'N', ..] => "PST file header",
        [0x30, 0x82, ..] => "DER certificate header",
        _ => null,
    };

    private static Token[] BuildTokens()
    {
        var tokens = new Dictionary<string, (Role Roles, int Keyword)>(StringComparer.OrdinalIgnoreCase);

        void Add(string text, Role role, int keyword = -1)
        {
            var (roles, kw) = tokens.GetValueOrDefault(text, (Role.None, -1));
            tokens[text] = (roles | role, keyword >= 0 ? keyword : kw);
        }

        for (var k = 0; k < CertLvKeywords.Count; k++)
        {
            var keyword = CertLvKeywords[k];
            if (keyword.EndsWith('('))
            {
                // cert-lv writes these as word\s?\( : no space or one whitespace character.
                var word = keyword[..^1];
                foreach (var gap in (string[])["", " ", "\t", "\r", "\n"])
                {
                    Add(word + gap + "(", Role.Keyword, k);
                }
            }
            else
            {
                Add(keyword, Role.Keyword, k);
            }
        }

        Add("eval", Role.EvalWord);
        Add("execute", Role.EvalWord);
        foreach (var gap in (string[])["", " ", "\t", "\r", "\n"])
        {
            Add("eval" + gap + "(", Role.EvalCall);
        }

        Add("jscript", Role.JScriptName);
        Add("javascript", Role.JScriptName);
        Add("page_load", Role.PageLoad);
        foreach (var api in (string[])["processstartinfo", "startinfo.filename", "process.start(", "wscript.shell", "shell.application"])
        {
            Add(api, Role.ExecApi);
        }

        foreach (var shell in (string[])["cmd.exe", "cmd /c", "powershell.exe", "powershell -"])
        {
            Add(shell, Role.ShellBinary);
        }

        foreach (var marker in (string[])["<%", "runat=\"server\"", "runat=server", "runat='server'"])
        {
            Add(marker, Role.ServerMarker);
        }

        Add("externalurl", Role.OabUrl);
        Add("internalurl", Role.OabUrl);
        Add("internalauthenticationmethods", Role.OabAuth);
        Add("extendedprotectiontokenchecking", Role.OabTokenChecking);
        foreach (var gate in (string[])["script language", "page language", "runat=\"server\"", "/script"])
        {
            Add(gate, Role.OabGate);
        }

        return tokens.Select(kv => new Token(kv.Key, kv.Value.Roles, kv.Value.Keyword)).ToArray();
    }

    private sealed record Token(string Text, Role Roles, int Keyword);

    private sealed class State
    {
        public bool[] Keywords { get; } = new bool[CertLvKeywords.Count];

        /// <summary>First text seen per role bit, as written in the file.</summary>
        public string?[] First { get; } = new string?[RoleCount];

        public string? EvalRequest { get; set; }

        public string? JScriptTag { get; set; }

        public ContentMatch ToMatch(ReadOnlySpan<byte> head, long length)
        {
            var rules = ContentRule.None;
            var hits = new List<ContentHit>();

            void Hit(ContentRule rule, string name, string what)
            {
                rules |= rule;
                hits.Add(new ContentHit(rule, name, what));
            }

            if (EvalRequest is { } e)
            {
                Hit(ContentRule.EvalRequest, "eval-request", e);
            }

            if (JScriptTag is { } j)
            {
                Hit(ContentRule.JScriptServerPage, "jscript-server-page", j);
            }

            if (Get(Role.PageLoad) is { } load && Get(Role.EvalCall) is { } call)
            {
                Hit(ContentRule.PageLoadEval, "page-load-eval", load + " + " + call);
            }

            if (Get(Role.ExecApi) is { } api && Get(Role.ShellBinary) is { } shell)
            {
                Hit(ContentRule.CommandShell, "command-shell", api + " + " + shell);
            }

            if (ForeignFormat(head) is { } format && Get(Role.ServerMarker) is { } marker)
            {
                Hit(ContentRule.ScriptInBinary, "script-in-binary", format + " + " + marker);
            }

            if (length < OabRuleMaxLength && Get(Role.OabUrl) is { } url && Get(Role.OabAuth) is { } auth
                && Get(Role.OabTokenChecking) is { } checking && Get(Role.OabGate) is { } gate)
            {
                Hit(ContentRule.OabVirtualDirectoryConfig, "oab-vd-config", $"{url} + {auth} + {checking} + {gate}");
            }

            var keywords = new List<string>();
            for (var k = 0; k < Keywords.Length; k++)
            {
                if (Keywords[k])
                {
                    keywords.Add(CertLvKeywords[k]);
                }
            }

            return new ContentMatch(rules, hits, keywords);
        }

        private string? Get(Role role) => First[System.Numerics.BitOperations.Log2((uint)role)];
    }
}
