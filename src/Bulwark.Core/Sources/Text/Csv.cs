namespace Bulwark.Core.Sources.Text;

/// <summary>RFC 4180 field splitting for one line (Exchange logs quote fields holding commas or quotes).</summary>
public static class Csv
{
    /// <summary>Splits <paramref name="line"/>; returns null and a reason when a quoted field is not closed.</summary>
    public static string[]? Split(ReadOnlySpan<char> line, out string? error)
    {
        error = null;
        var fields = new List<string>(48);
        var i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == '"')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                while (true)
                {
                    var q = line[i..].IndexOf('"');
                    if (q < 0)
                    {
                        error = $"quoted field {fields.Count + 1} is not closed";
                        return null;
                    }

                    sb.Append(line.Slice(i, q));
                    i += q + 1;
                    if (i < line.Length && line[i] == '"')
                    {
                        sb.Append('"');
                        i++;
                        continue;
                    }

                    break;
                }

                fields.Add(sb.ToString());
                if (i >= line.Length)
                {
                    return [.. fields];
                }

                if (line[i] != ',')
                {
                    error = $"unexpected character after quoted field {fields.Count}";
                    return null;
                }

                i++;
                continue;
            }

            var comma = line[i..].IndexOf(',');
            if (comma < 0)
            {
                fields.Add(line[i..].ToString());
                return [.. fields];
            }

            fields.Add(line.Slice(i, comma).ToString());
            i += comma + 1;
        }
    }
}
