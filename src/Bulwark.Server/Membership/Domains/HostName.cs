namespace Bulwark.Server.Membership.Domains;

/// <summary>Checks and normalises a DNS host name as an organisation's mail domain.</summary>
public static class HostName
{
    public const int MaxLength = 253;

    /// <summary>The lower-case name without a final dot, or an error that says what is wrong with the input.</summary>
    public static bool TryNormalise(string? input, out string name, out string error)
    {
        name = "";
        var value = input?.Trim() ?? "";
        if (value.EndsWith('.'))
        {
            value = value[..^1];
        }

        if (value.Length == 0)
        {
            error = "a domain name is required, e.g. example.org";
            return false;
        }

        if (value.Length > MaxLength)
        {
            error = $"a domain name has at most {MaxLength} characters (this one has {value.Length})";
            return false;
        }

        if (!value.All(char.IsAscii))
        {
            error = "use the ASCII form of an internationalised domain name (its xn-- labels)";
            return false;
        }

        value = value.ToLowerInvariant();
        var labels = value.Split('.');
        if (labels.Length < 2)
        {
            error = $"'{value}' is not a domain name with at least two labels, e.g. example.org";
            return false;
        }

        foreach (var label in labels)
        {
            if (label.Length is 0 or > 63)
            {
                error = label.Length == 0 ? $"'{value}' has an empty label" : $"the label '{label[..20]}…' is longer than 63 characters";
                return false;
            }

            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                error = $"the label '{label}' may hold only letters, digits and hyphens";
                return false;
            }

            if (label[0] == '-' || label[^1] == '-')
            {
                error = $"the label '{label}' may not start or end with a hyphen";
                return false;
            }
        }

        if (!labels[^1].Any(char.IsAsciiLetter))
        {
            error = $"'{value}' looks like an IP address, not a domain name";
            return false;
        }

        name = value;
        error = "";
        return true;
    }
}
