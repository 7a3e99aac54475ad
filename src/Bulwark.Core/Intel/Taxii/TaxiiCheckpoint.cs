namespace Bulwark.Core.Intel.Taxii;

/// <summary>
/// A <c>date_added</c> timestamp as the server wrote it: where a poller stopped (the last page's
/// <c>X-TAXII-Date-Added-Last</c>) and what it sends back as <c>added_after</c>. The text is kept verbatim so no
/// precision the server used is lost; <see cref="Instant"/> is for comparing.
/// </summary>
public sealed record TaxiiCheckpoint
{
    private TaxiiCheckpoint(string text, DateTimeOffset instant)
    {
        Text = text;
        Instant = instant;
    }

    public string Text { get; }

    public DateTimeOffset Instant { get; }

    public static bool TryParse(string? text, out TaxiiCheckpoint? checkpoint)
    {
        checkpoint = TaxiiTime.TryParse(text, out var instant) ? new TaxiiCheckpoint(text!, instant) : null;
        return checkpoint is not null;
    }

    /// <summary>Parses a stored checkpoint; throws <see cref="FormatException"/> naming the text when it is not a TAXII timestamp.</summary>
    public static TaxiiCheckpoint Parse(string text) =>
        TryParse(text, out var checkpoint) ? checkpoint! : throw new FormatException($"'{text}' is not a TAXII timestamp (YYYY-MM-DDTHH:MM:SS[.ffffff]Z)");

    /// <summary>An instant as a checkpoint (microseconds).</summary>
    public static TaxiiCheckpoint From(DateTimeOffset instant)
    {
        var micro = TaxiiTime.ToMicroseconds(instant);
        return new TaxiiCheckpoint(TaxiiTime.Format(micro, 6), micro);
    }

    public override string ToString() => Text;
}
