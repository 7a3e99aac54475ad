namespace Bulwark.Server.Membership;

/// <summary>A BCP 47 language tag as Bulwark keeps it: lower case, e.g. <c>en</c>, <c>fr</c>, <c>pt-br</c>.</summary>
public static class LanguageTag
{
    public const int MaxLength = 35;

    public static bool TryNormalise(string? input, out string language, out string error)
    {
        language = "";
        var value = input?.Trim() ?? "";
        if (value.Length == 0)
        {
            language = "en";
            error = "";
            return true;
        }

        var parts = value.Split('-');
        if (value.Length > MaxLength
            || parts[0].Length is < 2 or > 3 || !parts[0].All(char.IsAsciiLetter)
            || parts.Skip(1).Any(p => p.Length is < 1 or > 8 || !p.All(char.IsAsciiLetterOrDigit)))
        {
            error = $"a BCP 47 language tag of at most {MaxLength} characters is expected, e.g. en, fr, es or pt-BR";
            return false;
        }

        language = value.ToLowerInvariant();
        error = "";
        return true;
    }
}
