using System.Globalization;
using System.Text.Json;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Intel.Stix;

/// <summary>
/// Reads STIX 2.1 and 2.0 into an <see cref="IntelCatalog"/>: bundles from a stream (object by object, so huge files
/// need memory for one object at a time), or the <c>objects</c> of a TAXII envelope already parsed. Indicators
/// become <see cref="IntelIndicator"/>s with their pattern's index values; intrusion sets, actors, campaigns,
/// malware, tools, attack patterns, identities, reports, observed data and sightings become
/// <see cref="IntelObject"/>s; relationships and sightings become <see cref="IntelRelationship"/>s. TLP comes
/// from TLP 1.0 and 2.0 marking definitions (predefined ids, or definitions in the bundle); unmarked objects get the
/// source's default. Every problem is added to the catalog with the file and <c>objects[i].property</c>, and the
/// rest of the input is still read. Keep one reader per source to carry marking definitions across TAXII pages.
/// </summary>
public sealed class StixReader
{
    private readonly StixReadContext _context;

    public StixReader(IntelSource source, IntelCatalog catalog, StixReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(catalog);
        catalog.AddSource(source);
        _context = new StixReadContext(source, catalog, options ?? StixReadOptions.Default);
    }

    /// <summary>Reads one bundle (or TAXII envelope, or bare array of objects) from <paramref name="json"/>, named <paramref name="file"/> in problems.</summary>
    public static StixReadResult Read(Stream json, string file, IntelSource source, IntelCatalog catalog, StixReadOptions? options = null) =>
        new StixReader(source, catalog, options).Read(json, file);

    /// <summary>Reads the <c>objects</c> array of a parsed bundle or TAXII envelope.</summary>
    public static StixReadResult ReadObjects(JsonElement objects, string file, IntelSource source, IntelCatalog catalog, StixReadOptions? options = null) =>
        new StixReader(source, catalog, options).ReadObjects(objects, file);

    /// <inheritdoc cref="Read(Stream, string, IntelSource, IntelCatalog, StixReadOptions?)"/>
    public StixReadResult Read(Stream json, string file)
    {
        ArgumentNullException.ThrowIfNull(json);
        var walker = Walker(file);
        walker.Run(json);
        return _context.Finish(walker.Complete, walker.Objects, walker.SpecVersion);
    }

    /// <inheritdoc cref="Read(Stream, string, IntelSource, IntelCatalog, StixReadOptions?)"/>
    public async Task<StixReadResult> ReadAsync(Stream json, string file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        var walker = Walker(file);
        await walker.RunAsync(json, cancellationToken).ConfigureAwait(false);
        return _context.Finish(walker.Complete, walker.Objects, walker.SpecVersion);
    }

    /// <summary>Reads a file from disk.</summary>
    public StixReadResult ReadFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Read(stream, path);
    }

    /// <inheritdoc cref="ReadObjects(JsonElement, string, IntelSource, IntelCatalog, StixReadOptions?)"/>
    public StixReadResult ReadObjects(JsonElement objects, string file)
    {
        _context.File = file;
        if (objects.ValueKind != JsonValueKind.Array)
        {
            _context.Problem("objects", $"expected an array of STIX objects, found {StixObjectReader.Kind(objects.ValueKind)}");
            return _context.Finish(complete: true, 0, null);
        }

        var i = 0;
        foreach (var item in objects.EnumerateArray())
        {
            StixObjectReader.Read(_context, item, string.Create(CultureInfo.InvariantCulture, $"objects[{i++}]"), "");
        }

        return _context.Finish(complete: true, i, null);
    }

    private StixBundleWalker Walker(string file)
    {
        _context.File = file;
        var documentOptions = new JsonDocumentOptions { MaxDepth = _context.Options.MaxDepth };
        return new StixBundleWalker(_context, (json, index, line) =>
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"objects[{index}]");
            var at = string.Create(CultureInfo.InvariantCulture, $" (object at line {line})");
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json, documentOptions);
            }
            catch (JsonException ex)
            {
                // The walker has checked syntax and depth already; kept so no object can end the read.
                _context.Problem(where + at, $"not valid JSON: {ex.Message}");
                return;
            }

            using (document)
            {
                StixObjectReader.Read(_context, document.RootElement, where, at);
            }
        });
    }
}
