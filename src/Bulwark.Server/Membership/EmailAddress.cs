using Bulwark.Server.Membership.Domains;

namespace Bulwark.Server.Membership;

/// <summary>Checks and normalises an email address (work or personal): <c>local@domain</c>, lower case, ASCII.</summary>
public static class EmailAddress
{
    public const int MaxLength = 254;

    private const string LocalSpecials = ".!#$%&'*+/=?^_`{|}~-";

    /// <summary>
    /// The address in lower case. Local parts are case-insensitive at every provider Bulwark watches, so one
    /// form gives one lookup value.
    /// </summary>
    public static bool TryNormalise(string? input, out string address, out string error)
    {
        address = "";
        var value = input?.Trim() ?? "";
        if (value.Length == 0)
        {
            error = "an email address is required";
            return false;
        }

        if (value.Length > MaxLength)
        {
            error = $"an email address has at most {MaxLength} characters (this one has {value.Length})";
            return false;
        }

        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1)
        {
            error = "not an email address (local@domain)";
            return false;
        }

        var local = value[..at];
        if (local.Length > 64
            || local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal)
            || !local.All(c => char.IsAsciiLetterOrDigit(c) || LocalSpecials.Contains(c)))
        {
            error = "the part before @ must be 1 to 64 letters, digits or . ! # $ % & ' * + / = ? ^ _ ` { | } ~ - (no spaces, quotes or dots at either end)";
            return false;
        }

        if (!HostName.TryNormalise(value[(at + 1)..], out var domain, out var domainError) || value.EndsWith('.'))
        {
            error = $"the domain after @ is not valid: {(domainError.Length > 0 ? domainError : "no final dot")}";
            return false;
        }

        address = $"{local.ToLowerInvariant()}@{domain}";
        error = "";
        return true;
    }

    public static string Domain(string normalisedAddress) => normalisedAddress[(normalisedAddress.LastIndexOf('@') + 1)..];
}
