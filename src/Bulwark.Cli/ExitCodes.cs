namespace Bulwark.Cli;

/// <summary>Process exit codes, documented in the README.</summary>
public static class ExitCodes
{
    /// <summary>The scan ran and found nothing.</summary>
    public const int Clean = 0;

    /// <summary>The scan ran and reported findings.</summary>
    public const int Findings = 1;

    /// <summary>Bad command line, or input that could not be read at all.</summary>
    public const int UsageError = 2;
}
