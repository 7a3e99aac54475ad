namespace Bulwark.Core.Sources.Exchange;

/// <summary>Offline address book generator logs; detectors read the raw line.</summary>
public sealed class OabGeneratorFormat : ExchangeCsvFormat
{
    public static readonly OabGeneratorFormat Instance = new();

    public override LogKind Kind => LogKind.OabGenerator;

    protected override string FirstColumn => "date-time";

    protected override bool KeepUnsplittableLines => true;

    public override LogEvent? Parse(string line, long lineNumber, Text.LogFileState state, out string? error)
    {
        // OAB generator logs are read line by line whether or not a header was seen.
        state.Schema ??= new LogSchema([]);
        return base.Parse(line, lineNumber, state, out error);
    }
}
