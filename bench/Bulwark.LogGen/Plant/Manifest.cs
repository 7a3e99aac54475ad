using Bulwark.LogGen.Logs;
using Bulwark.LogGen.Output;

namespace Bulwark.LogGen.Plant;

/// <summary>Where every planted line landed, written as TSV for the README table and for tests.</summary>
public sealed class Manifest
{
    private readonly List<PlantRecord> _records = [];

    public IReadOnlyList<PlantRecord> Records => _records;

    public void Add(LineLocation? at, string id, PlantKind kind, string what, string expected)
    {
        if (at is { } location)
        {
            _records.Add(new PlantRecord(id, kind, location.File, location.Line, what, expected));
        }
    }

    /// <summary>Records every line of one planted request: HttpProxy row, front-end and back-end IIS lines.</summary>
    public void Add(RequestLines lines, string id, PlantKind kind, string what, string expected)
    {
        Add(lines.Proxy, id + ".httpproxy", kind, what, expected);
        Add(lines.FrontEnd, id + ".iis", kind, what, expected);
        Add(lines.BackEnd, id + ".iis-backend", kind, what, expected);
    }

    public void WriteTsv(TextWriter writer)
    {
        writer.WriteLine("id\tkind\tfile\tline\twhat\texpected");
        foreach (var r in _records)
        {
            writer.WriteLine($"{r.Id}\t{r.Kind.ToString().ToLowerInvariant()}\t{r.File}\t{r.Line}\t{r.What}\t{r.Expected}");
        }
    }
}
