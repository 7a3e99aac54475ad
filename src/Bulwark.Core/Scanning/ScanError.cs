namespace Bulwark.Core.Scanning;

/// <summary>A problem with one file or line; the scan goes on. Printed as <c>file:line: message</c>.</summary>
public sealed record ScanError(string File, long Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}
