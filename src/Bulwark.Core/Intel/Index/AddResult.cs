namespace Bulwark.Core.Intel.Index;

/// <summary>The outcome of <see cref="IocIndexBuilder.TryAdd"/>: the new entry id, or why the indicator was rejected.</summary>
public readonly record struct AddResult
{
    private AddResult(int entryId, string? error)
    {
        EntryId = entryId;
        Error = error;
    }

    /// <summary>The entry id, or -1 when rejected.</summary>
    public int EntryId { get; }

    /// <summary>Why the indicator was rejected, naming the value; null when added.</summary>
    public string? Error { get; }

    public bool Added => Error is null;

    internal static AddResult Success(int entryId) => new(entryId, null);

    internal static AddResult Rejected(string error) => new(-1, error);
}
