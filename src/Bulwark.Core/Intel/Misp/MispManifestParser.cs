using System.Text.Json;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Intel.Misp;

/// <summary>Parses <c>manifest.json</c>: <c>{"&lt;uuid&gt;": {"info", "date", "timestamp", "Orgc", "Tag", …}}</c>.</summary>
internal static class MispManifestParser
{
    public static MispManifest Parse(ReadOnlyMemory<byte> utf8, string file, IntelCatalog catalog)
    {
        var problems = new MispProblems(file, catalog);
        var events = new Dictionary<string, MispManifestEntry>(StringComparer.OrdinalIgnoreCase);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(MispJson.SkipBom(utf8), MispJson.DocumentOptions);
        }
        catch (JsonException error)
        {
            problems.Add(MispJson.Position(error), $"invalid JSON: {MispJson.Reason(error)}; the manifest was not read, so no event was");
            return new MispManifest(events, problems.All);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problems.Add("", $"expected an object of events by uuid, found {MispJson.Describe(root.ValueKind)}; no event was read");
                return new MispManifest(events, problems.All);
            }

            foreach (var property in root.EnumerateObject())
            {
                var uuid = property.Name;
                var where = uuid.Length <= 40 ? uuid : MispJson.Quote(uuid);
                if (!MispIds.IsUuid(uuid))
                {
                    // Never turned into a file name or URL: a key like "../x" must not reach outside the feed.
                    problems.Add(where, $"{MispJson.Quote(uuid)} is not an event uuid; the entry was not read");
                    continue;
                }

                var entry = property.Value;
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    problems.Add(where, $"expected an object describing the event, found {MispJson.Shown(entry)}; the entry was not read");
                    continue;
                }

                var timestamp = MispJson.Long(entry, "timestamp", where, problems);
                if (timestamp is null && !entry.TryGetProperty("timestamp", out _))
                {
                    problems.Add(MispJson.Member(where, "timestamp"), "the entry has no timestamp, so changes to the event cannot be seen; it is read only when new");
                }

                string? organisation = null;
                if (MispJson.Object(entry, "Orgc", where, problems) is { } orgc)
                {
                    organisation = MispJson.String(orgc, "name", MispJson.Member(where, "Orgc"), problems);
                }

                var threat = MispJson.Long(entry, "threat_level_id", where, problems);
                events[uuid.ToLowerInvariant()] = new MispManifestEntry(uuid.ToLowerInvariant(), timestamp ?? 0)
                {
                    Info = MispJson.String(entry, "info", where, problems),
                    Date = MispJson.Time(entry, "date", where, problems),
                    Organisation = organisation,
                    Tags = MispTags.Names(entry, where, problems),
                    ThreatLevel = threat is >= 1 and <= 4 ? (int)threat : null,
                };
            }
        }

        return new MispManifest(events, problems.All);
    }
}
