using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Bulwark.Core.Intel.Index;

namespace Bulwark.Core.Intel.Lists;

/// <summary>A value of a list that was not taken, with where it stood and why.</summary>
public sealed record ListProblem(string File, int Line, string Value, string Reason)
{
    public override string ToString() => $"{File}:{Line}: '{Value}': {Reason}";
}

/// <summary>What one list gave: how many indicators went into the index, and every value refused.</summary>
public sealed record ListResult(int Added, IReadOnlyList<ListProblem> Problems);

/// <summary>
/// Plain indicator lists: one value per line, or CSV whose value column is named <c>value</c>, <c>indicator</c> or
/// <c>ioc</c> (else the first column). Blank lines and <c>#</c> comments are skipped; defanged values
/// (<c>hxxp://</c>, <c>[.]</c>, <c>(.)</c>, <c>[@]</c>) are refanged. Each value's kind is recognised from its form:
/// IPv4, IPv6, CIDR, URL, email address, MD5/SHA-1/SHA-256, domain. A value that is none of these, or that the index
/// refuses, is reported with its line; the rest of the list is still taken.
/// </summary>
public static class PlainList
{
    private static readonly string[] ValueColumns = ["value", "indicator", "ioc"];
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static bool HasWhiteSpace(string value)
    {
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c))
            {
                return true;
            }
        }

        return false;
    }

    public static ListResult Read(TextReader reader, string file, IocIndexBuilder builder, string source, Tlp tlp = Tlp.Amber, int confidence = 50)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Read(reader, file, source, tlp, confidence, (indicator, _) => builder.TryAdd(indicator));
    }

    /// <summary>
    /// Reads a list into a catalog as bare values (<see cref="Model.IntelCatalog.Values"/>) of the source's TLP and
    /// confidence; values not recognised are reported in the result and as catalog problems (the index checks the rest
    /// when it is built).
    /// </summary>
    public static ListResult Read(TextReader reader, string file, Model.IntelSource source, Model.IntelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(catalog);
        var result = Read(reader, file, source.Id, source.DefaultTlp, source.DefaultConfidence, (indicator, _) =>
        {
            catalog.Add(indicator);
            return AddResult.Success(-1);
        });
        foreach (var problem in result.Problems)
        {
            catalog.Problem(problem.File, $"line {problem.Line}", $"'{problem.Value}': {problem.Reason}");
        }

        return result;
    }

    private static ListResult Read(TextReader reader, string file, string source, Tlp tlp, int confidence, Func<IocIndicator, int, AddResult> add)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var problems = new List<ListProblem>();
        var added = 0;
        var column = -1;
        var lineNumber = 0;
        while (reader.ReadLine() is { } raw)
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var cells = line.Contains(',', StringComparison.Ordinal) ? SplitCsv(line) : [line];
            if (column < 0)
            {
                var header = Array.FindIndex(cells, c => ValueColumns.Contains(c.Trim().ToLowerInvariant()));
                column = header >= 0 ? header : 0;
                if (header >= 0)
                {
                    continue;
                }
            }

            if (column >= cells.Length)
            {
                problems.Add(new ListProblem(file, lineNumber, line, $"no column {column + 1} on this line"));
                continue;
            }

            var value = Refang(cells[column].Trim());
            if (Classify(value) is not { } kind)
            {
                problems.Add(new ListProblem(file, lineNumber, value, "not an IP address, CIDR range, URL, email address, MD5/SHA-1/SHA-256 hash or domain"));
                continue;
            }

            var result = add(new IocIndicator(kind, value, source) { Tlp = tlp, Confidence = confidence }, lineNumber);
            if (result.Added)
            {
                added++;
            }
            else
            {
                problems.Add(new ListProblem(file, lineNumber, value, result.Error!));
            }
        }

        return new ListResult(added, problems);
    }

    /// <summary>The kind a value's form says it is, or null.</summary>
    public static IocKind? Classify(string value)
    {
        if (value.Length is 0 or > 2048 || HasWhiteSpace(value))
        {
            return null;
        }

        if (value.Contains('/', StringComparison.Ordinal) && !value.Contains("://", StringComparison.Ordinal))
        {
            return IPNetwork.TryParse(value, out var network) && IsStrictAddress(value[..value.IndexOf('/', StringComparison.Ordinal)])
                ? network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? IocKind.CidrV4 : IocKind.CidrV6
                : null;
        }

        if (IsStrictAddress(value))
        {
            return value.Contains(':', StringComparison.Ordinal) ? IocKind.IPv6 : IocKind.IPv4;
        }

        if (value.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? IocKind.Url : null;
        }

        if (value.Contains('@', StringComparison.Ordinal))
        {
            var at = value.LastIndexOf('@');
            return at > 0 && IsDomain(value.AsSpan(at + 1)) ? IocKind.Email : null;
        }

        if (!value.AsSpan().ContainsAnyExcept(HexDigits))
        {
            return value.Length switch
            {
                32 => IocKind.Md5,
                40 => IocKind.Sha1,
                64 => IocKind.Sha256,
                _ => null,
            };
        }

        return IsDomain(value) ? IocKind.Domain : null;
    }

    /// <summary>Undoes the usual defanging of shared indicators.</summary>
    public static string Refang(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny('[', '(') < 0 && !value.StartsWith("hxxp", StringComparison.OrdinalIgnoreCase))
        {
            return value; // the common case: nothing defanged, no new string
        }

        var v = value.Replace("[.]", ".", StringComparison.Ordinal).Replace("(.)", ".", StringComparison.Ordinal)
            .Replace("[dot]", ".", StringComparison.OrdinalIgnoreCase).Replace("[@]", "@", StringComparison.Ordinal)
            .Replace("[:]", ":", StringComparison.Ordinal).Replace("[://]", "://", StringComparison.Ordinal);
        if (v.StartsWith("hxxp", StringComparison.OrdinalIgnoreCase))
        {
            v = "http" + v[4..];
        }

        return v;
    }

    /// <summary>
    /// An IP address written out in full: four decimal parts for IPv4 (IPAddress.TryParse alone also takes "1" or
    /// "0x7f.1"), any IPv6 form.
    /// </summary>
    private static bool IsStrictAddress(string text)
    {
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        // Four dot-separated decimal parts of one to three digits, each at most 255, without allocating.
        var rest = text.AsSpan();
        for (var part = 0; part < 4; part++)
        {
            var dot = rest.IndexOf('.');
            var digits = part < 3 ? (dot < 0 ? default : rest[..dot]) : rest;
            if (digits.Length is 0 or > 3 || digits.ContainsAnyExceptInRange('0', '9')
                || int.Parse(digits, CultureInfo.InvariantCulture) > 255 || (part < 3 && dot < 0))
            {
                return false;
            }

            rest = part < 3 ? rest[(dot + 1)..] : default;
        }

        return true;
    }

    private static bool IsDomain(ReadOnlySpan<char> text)
    {
        var host = text.EndsWith(".") ? text[..^1] : text;
        if (host.Length is 0 or > 253 || !host.Contains('.'))
        {
            return false;
        }

        var tld = host[(host.LastIndexOf('.') + 1)..];
        if (tld.Length < 2 || !tld.ContainsOnlyLetters())
        {
            return false;
        }

        foreach (var range in host.Split('.'))
        {
            var label = host[range];
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool ContainsOnlyLetters(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 4180 cells of one line (quoted cells may hold commas and doubled quotes).</summary>
    private static string[] SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return [.. cells];
    }
}
