using System.Text;
using Bulwark.Core.Intel;
using Bulwark.Core.Intel.Lists;
using Bulwark.Core.Intel.Misp;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Stix;
using Bulwark.Data.Intel;

namespace Bulwark.Server.Intel;

/// <summary>
/// Reads the content the server stores (uploaded files, TAXII objects, MISP events) into a catalog, with the readers
/// <see cref="IntelLoader"/> uses. Every source id and problem location starts with the source's name: an uploaded
/// file is <c>name/file</c>, a TAXII object <c>name: stix-id</c>, a MISP event <c>name: uuid.json</c>.
/// </summary>
public static class StoredIntel
{
    /// <summary>One stored item with what it is read as, in the order the catalog takes them.</summary>
    public sealed record Item(IntelSourceRecord Source, IntelContentKind Kind, string Name, byte[] Data, IntelFormat Format);

    /// <summary>The catalog source id of a source, or of one of its uploaded files.</summary>
    public static string SourceId(IntelSourceRecord source, string? file = null) => file is null ? source.Name : $"{source.Name}/{file}";

    /// <summary>How <paramref name="source"/> (or one file of it) is known to the catalog: its name, TLP and confidence for unmarked content.</summary>
    public static IntelSource CatalogSource(IntelSourceRecord source, IntelFormat format, string? file = null) =>
        new(SourceId(source, file), format)
        {
            Title = source.Name,
            Location = SourceId(source, file),
            // Galaxy clusters are public reference data (CC0/BSD-2 misp-galaxy), not shared intelligence.
            DefaultTlp = format == IntelFormat.MispGalaxy ? Core.Intel.Index.Tlp.Clear : source.DefaultTlp,
            DefaultConfidence = source.DefaultConfidence,
        };

    /// <summary>The format of an uploaded file from its first bytes, or null with the reason.</summary>
    public static IntelFormat? Detect(byte[] data, string file, out string? reason)
    {
        using var stream = new MemoryStream(data, writable: false);
        var format = IntelLoader.Detect(stream, file, out reason);
        if (format is IntelFormat.MispFeed or IntelFormat.Taxii)
        {
            reason = "not a file format";
            return null;
        }

        return format;
    }

    /// <summary>Galaxies and warninglists first (events resolve galaxy tags against clusters read before), then STIX, then the rest; stable within each.</summary>
    public static int Order(IntelFormat format) => format switch
    {
        IntelFormat.MispGalaxy => 0,
        IntelFormat.MispWarninglist => 1,
        IntelFormat.StixBundle or IntelFormat.Taxii => 2,
        _ => 3,
    };

    /// <summary>Reads the items into <paramref name="catalog"/> in <see cref="Order"/>, one STIX reader per TAXII source (markings carry across objects).</summary>
    public static void Read(IEnumerable<Item> items, IntelCatalog catalog)
    {
        var readers = new Dictionary<Guid, StixReader>();
        var events = new Dictionary<Guid, MispEventReader>();
        foreach (var item in items
            .OrderBy(i => Order(i.Format))
            .ThenBy(i => i.Source.Name, StringComparer.Ordinal)
            .ThenBy(i => i.Kind == IntelContentKind.StixObject && i.Name.StartsWith("marking-definition--", StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(i => i.Name, StringComparer.Ordinal))
        {
            switch (item.Kind)
            {
                case IntelContentKind.File:
                    ReadFile(item.Data, item.Format, CatalogSource(item.Source, item.Format, item.Name), catalog);
                    break;
                case IntelContentKind.StixObject:
                    if (!readers.TryGetValue(item.Source.Id, out var reader))
                    {
                        readers[item.Source.Id] = reader = new StixReader(CatalogSource(item.Source, IntelFormat.Taxii), catalog);
                    }

                    ReadObject(reader, item.Data, $"{item.Source.Name}: {item.Name}", catalog);
                    break;
                case IntelContentKind.MispEvent:
                    if (!events.TryGetValue(item.Source.Id, out var eventReader))
                    {
                        var source = CatalogSource(item.Source, IntelFormat.MispFeed);
                        catalog.AddSource(source);
                        events[item.Source.Id] = eventReader = new MispEventReader(catalog, source);
                    }

                    eventReader.Read(item.Data, $"{item.Source.Name}: {item.Name}.json");
                    break;
            }
        }
    }

    /// <summary>Reads one file as <paramref name="format"/>; problems are named by the source's location (<c>name/file</c>).</summary>
    public static void ReadFile(byte[] data, IntelFormat format, IntelSource source, IntelCatalog catalog)
    {
        catalog.AddSource(source);
        var file = source.Location ?? source.Id;
        using var stream = new MemoryStream(data, writable: false);
        switch (format)
        {
            case IntelFormat.StixBundle:
                StixReader.Read(stream, file, source, catalog);
                break;
            case IntelFormat.MispEvent:
                new MispEventReader(catalog, source).Read(data, file);
                break;
            case IntelFormat.MispGalaxy:
                MispGalaxyReader.Read(stream, file, catalog, source);
                break;
            case IntelFormat.MispWarninglist:
                MispWarninglistReader.Read(data, file, catalog, source);
                break;
            default:
                using (var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
                {
                    PlainList.Read(reader, file, source, catalog);
                }

                break;
        }
    }

    private static void ReadObject(StixReader reader, byte[] json, string file, IntelCatalog catalog)
    {
        // One object as a one-element array: the reader takes TAXII pages as arrays of objects.
        var array = new byte[json.Length + 2];
        array[0] = (byte)'[';
        json.CopyTo(array, 1);
        array[^1] = (byte)']';
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(array, new System.Text.Json.JsonDocumentOptions { MaxDepth = 128 });
            reader.ReadObjects(document.RootElement, file);
        }
        catch (System.Text.Json.JsonException ex)
        {
            catalog.Problem(file, "", $"not valid JSON: {ex.Message}");
        }
    }
}
