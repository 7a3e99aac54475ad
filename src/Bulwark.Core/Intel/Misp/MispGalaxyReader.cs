using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Intel.Misp;

/// <summary>
/// Reads MISP galaxy cluster files (MISP/misp-galaxy <c>clusters/*.json</c>: <c>{type, values: [cluster…]}</c>)
/// into the catalog: each cluster an <see cref="IntelObject"/> (id <c>misp-galaxy:&lt;type&gt;--&lt;uuid&gt;</c>) with
/// its synonyms as aliases, <c>meta.country</c> (checked against ISO 3166-1), <c>meta.attribution-confidence</c>,
/// ATT&amp;CK group ids and Microsoft names as external ids; each <c>related</c> entry an
/// <see cref="IntelRelationship"/>. This is where actor countries come from (intel.md §5).
/// </summary>
public static partial class MispGalaxyReader
{
    /// <summary>External-id system for Microsoft threat actor names (<c>Silk Typhoon</c>, <c>HAFNIUM</c>).</summary>
    public const string MicrosoftNames = "microsoft";

    /// <summary>The organisation uuids misp-galaxy's <c>meta.name-attribution</c> gives MITRE ATT&amp;CK and Microsoft.</summary>
    private const string MitreOrg = "a1ad5090-2487-46d2-8237-6151a2dd5063";
    private const string MicrosoftOrg = "d0c33595-b684-45ef-91c3-e2f5ce1a8191";

    /// <summary>Reads one clusters file. <c>related</c> targets in galaxies not read yet stay <c>misp-galaxy--&lt;uuid&gt;</c>: read a whole folder with <see cref="ReadDirectory"/> to resolve them.</summary>
    public static MispReadResult Read(Stream json, string file, IntelCatalog catalog, IntelSource source)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Read([(file, MispJson.ReadAll(json))], catalog, source);
    }

    public static MispReadResult ReadFile(string path, IntelCatalog catalog, IntelSource source) =>
        Read([(path, File.ReadAllBytes(path))], catalog, source);

    /// <summary>Reads every <c>*.json</c> of a clusters folder, resolving <c>related</c> entries across the files.</summary>
    public static MispReadResult ReadDirectory(string directory, IntelCatalog catalog, IntelSource source)
    {
        var files = Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(f => (f, File.ReadAllBytes(f))).ToList();
        return Read(files, catalog, source);
    }

    private static MispReadResult Read(IReadOnlyList<(string File, byte[] Utf8)> files, IntelCatalog catalog, IntelSource source)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(source);
        catalog.AddSource(source);
        var result = MispReadResult.Empty;
        var parsed = new List<(JsonDocument Document, string Type, MispProblems Problems, MispTally Tally)>();
        try
        {
            // First pass: every cluster's uuid, so related entries between the files resolve to typed ids.
            var ids = KnownClusters(catalog);
            foreach (var (file, utf8) in files)
            {
                var problems = new MispProblems(file, catalog);
                var tally = new MispTally();
                if (Open(utf8, problems) is { } document)
                {
                    if (GalaxyType(document.RootElement, problems) is { } type)
                    {
                        parsed.Add((document, type, problems, tally));
                        if (document.RootElement.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array)
                        {
                            foreach (var cluster in values.EnumerateArray())
                            {
                                if (cluster.ValueKind == JsonValueKind.Object && cluster.TryGetProperty("uuid", out var uuid)
                                    && uuid.ValueKind == JsonValueKind.String && uuid.GetString() is { } u && MispIds.IsUuid(u))
                                {
                                    ids.TryAdd(u.ToLowerInvariant(), MispIds.Cluster(type, u.ToLowerInvariant()));
                                }
                            }
                        }

                        continue;
                    }

                    document.Dispose();
                }

                result = result.Plus(tally.ToResult(problems));
            }

            foreach (var (document, type, problems, tally) in parsed)
            {
                var i = 0;
                foreach (var cluster in Clusters(document.RootElement, problems))
                {
                    var where = $"values[{i++}]";
                    if (ToObject(cluster, type, where, source, source.DefaultTlp, problems) is not { } item)
                    {
                        continue;
                    }

                    if (catalog.Add(item))
                    {
                        tally.Objects++;
                    }

                    AddRelated(cluster, item, where, ids, catalog, source, problems, tally);
                }

                result = result.Plus(tally.ToResult(problems));
            }
        }
        finally
        {
            foreach (var (document, _, _, _) in parsed)
            {
                document.Dispose();
            }
        }

        return result;
    }

    /// <summary>
    /// A cluster as an intel object: from a galaxy file, or embedded in an event's <c>Galaxy</c>. Null (with a
    /// problem) when it has no uuid or value, or its galaxy names no threat object.
    /// </summary>
    internal static IntelObject? ToObject(JsonElement cluster, string galaxyType, string where, IntelSource source, Tlp tlp, MispProblems problems)
    {
        if (cluster.ValueKind != JsonValueKind.Object)
        {
            problems.Add(where, $"expected a cluster object, found {MispJson.Shown(cluster)}");
            return null;
        }

        var value = MispJson.String(cluster, "value", where, problems);
        var wrongType = cluster.TryGetProperty("value", out var written) && written.ValueKind is not (JsonValueKind.String or JsonValueKind.Null);
        if (!cluster.TryGetProperty("uuid", out _))
        {
            problems.Add(MispJson.Member(where, "uuid"), $"cluster {MispJson.Quote(value ?? "")} has no uuid; it was not read");
            return null;
        }

        if (MispJson.String(cluster, "uuid", where, problems) is not { } uuid)
        {
            return null;
        }

        if (!MispIds.IsUuid(uuid))
        {
            problems.Add(MispJson.Member(where, "uuid"), $"{MispJson.Quote(uuid)} is not a uuid; the cluster was not read");
            return null;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            if (!wrongType)
            {
                problems.Add(MispJson.Member(where, "value"), $"cluster {uuid} has no value (name); it was not read");
            }

            return null;
        }

        if (MispGalaxyTypes.StixType(galaxyType) is not { } stixType)
        {
            return null;
        }

        uuid = uuid.ToLowerInvariant();
        value = value.Trim();
        var externalIds = new List<ExternalId> { new(ExternalId.MispGalaxy, uuid) };
        var labels = new List<string> { $"misp-galaxy:{galaxyType}" };
        var aliases = new List<string>();
        string? country = null;
        int? attributionConfidence = null;

        if (AttackId().Match(value) is { Success: true } suffix)
        {
            // mitre-intrusion-set values read "APT28 - G0007".
            AddId(externalIds, ExternalId.MitreAttack, suffix.Groups[1].Value);
        }

        if (galaxyType.Equals("microsoft-activity-group", StringComparison.OrdinalIgnoreCase))
        {
            AddId(externalIds, MicrosoftNames, value);
        }

        if (MispJson.Object(cluster, "meta", where, problems) is { } meta)
        {
            var at = MispJson.Member(where, "meta");
            foreach (var synonym in MispJson.Strings(meta, "synonyms", at, problems))
            {
                var alias = synonym.Trim();
                if (alias.Length > 0 && !alias.Equals(value, StringComparison.OrdinalIgnoreCase) && !aliases.Contains(alias, StringComparer.OrdinalIgnoreCase))
                {
                    aliases.Add(alias);
                }

                if (GroupId().IsMatch(alias))
                {
                    AddId(externalIds, ExternalId.MitreAttack, alias);
                }
            }

            foreach (var id in MispJson.Strings(meta, "external_id", at, problems))
            {
                if (GroupId().IsMatch(id.Trim()))
                {
                    AddId(externalIds, ExternalId.MitreAttack, id.Trim());
                }
            }

            // "Silk Typhoon:d0c33595-…": a name and the uuid of the organisation that uses it.
            foreach (var attribution in MispJson.Strings(meta, "name-attribution", at, problems))
            {
                var colon = attribution.LastIndexOf(':');
                if (colon <= 0)
                {
                    continue;
                }

                var name = attribution[..colon].Trim();
                var org = attribution[(colon + 1)..].Trim();
                if (org.Equals(MitreOrg, StringComparison.OrdinalIgnoreCase) && GroupId().IsMatch(name))
                {
                    AddId(externalIds, ExternalId.MitreAttack, name);
                }
                else if (org.Equals(MicrosoftOrg, StringComparison.OrdinalIgnoreCase))
                {
                    AddId(externalIds, MicrosoftNames, name);
                }
            }

            // Galaxy files write meta values as strings; MISP's API writes them as arrays of strings.
            if (MispJson.Strings(meta, "country", at, problems) is [var stated, ..])
            {
                country = CountryCodes.Normalize(stated);
                if (country is null)
                {
                    problems.Add(MispJson.Member(at, "country"), $"{MispJson.Quote(stated)} is not an ISO 3166-1 alpha-2 country code; cluster '{value}' was kept without a country");
                }
            }

            attributionConfidence = AttributionConfidence(meta, at, value, problems);

            foreach (var key in (string[])["cfr-suspected-state-sponsor", "cfr-type-of-incident", "threat-actor-classification", "microsoft-origin-threat"])
            {
                foreach (var label in MispJson.Strings(meta, key, at, problems))
                {
                    labels.Add($"{key}:{label.Trim()}");
                }
            }
        }

        return new IntelObject(MispIds.Cluster(galaxyType, uuid), stixType, value, source.Id)
        {
            Aliases = aliases,
            Description = MispJson.String(cluster, "description", where, problems),
            ExternalIds = externalIds,
            Country = country,
            AttributionConfidence = attributionConfidence,
            Labels = labels,
            Tlp = tlp,
        };
    }

    /// <summary>Clusters already in the catalog by uuid, so relationships into them get their typed id.</summary>
    internal static Dictionary<string, string> KnownClusters(IntelCatalog catalog)
    {
        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in catalog.Objects)
        {
            if (MispIds.ClusterUuid(item.Id) is { } uuid)
            {
                ids.TryAdd(uuid, item.Id);
            }
        }

        return ids;
    }

    private static void AddRelated(JsonElement cluster, IntelObject item, string where, Dictionary<string, string> ids, IntelCatalog catalog, IntelSource source, MispProblems problems, MispTally tally)
    {
        if (MispJson.Array(cluster, "related", where, problems, "related clusters") is not { } related)
        {
            return;
        }

        var i = 0;
        foreach (var entry in related.EnumerateArray())
        {
            var at = $"{where}.related[{i++}]";
            if (entry.ValueKind != JsonValueKind.Object)
            {
                problems.Add(at, $"expected a related-cluster object, found {MispJson.Shown(entry)}");
                continue;
            }

            var dest = MispJson.String(entry, "dest-uuid", at, problems);
            if (dest is null || !MispIds.IsUuid(dest))
            {
                problems.Add(MispJson.Member(at, "dest-uuid"), dest is null ? "no dest-uuid; the relationship was not read" : $"{MispJson.Quote(dest)} is not a uuid; the relationship was not read");
                continue;
            }

            var type = (MispJson.String(entry, "type", at, problems) ?? "related-to").Trim().ToLowerInvariant();
            if (type.Length == 0)
            {
                type = "related-to";
            }

            // MISP writes "similar"; the model's name for it is similar-to.
            if (type == "similar")
            {
                type = IntelRelationship.SimilarTo;
            }

            int? confidence = null;
            foreach (var tag in MispJson.Strings(entry, "tags", at, problems))
            {
                confidence ??= MispTags.Likelihood(tag);
            }

            var target = ids.GetValueOrDefault(dest.ToLowerInvariant()) ?? MispIds.UnresolvedCluster(dest.ToLowerInvariant());
            var relationship = new IntelRelationship(MispIds.Relationship(item.Id, type, target), item.Id, type, target, source.Id)
            {
                Confidence = confidence,
                Tlp = item.Tlp,
            };
            if (catalog.Add(relationship))
            {
                tally.Relationships++;
            }
        }
    }

    private static int? AttributionConfidence(JsonElement meta, string where, string value, MispProblems problems)
    {
        if (!meta.TryGetProperty("attribution-confidence", out var written) || written.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (written.ValueKind == JsonValueKind.Array && written.GetArrayLength() == 1)
        {
            written = written[0];
        }

        var text = written.ValueKind switch
        {
            JsonValueKind.String => written.GetString(),
            JsonValueKind.Number => written.GetRawText(),
            _ => null,
        };
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var confidence) && confidence is >= 0 and <= 100)
        {
            return confidence;
        }

        problems.Add(MispJson.Member(where, "attribution-confidence"), $"expected an integer 0 to 100, found {MispJson.Shown(written)}; cluster '{value}' was kept without it");
        return null;
    }

    private static void AddId(List<ExternalId> ids, string system, string value)
    {
        var id = new ExternalId(system, value);
        if (!ids.Contains(id))
        {
            ids.Add(id);
        }
    }

    private static JsonDocument? Open(byte[] utf8, MispProblems problems)
    {
        try
        {
            return JsonDocument.Parse(MispJson.SkipBom(utf8), MispJson.DocumentOptions);
        }
        catch (JsonException error)
        {
            problems.Add(MispJson.Position(error), $"invalid JSON: {MispJson.Reason(error)}; nothing was read from this file");
            return null;
        }
    }

    private static string? GalaxyType(JsonElement root, MispProblems problems)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add("", $"expected a galaxy clusters object ({{\"type\": …, \"values\": […]}}), found {MispJson.Describe(root.ValueKind)}; nothing was read");
            return null;
        }

        var type = MispJson.String(root, "type", "", problems);
        if (string.IsNullOrWhiteSpace(type))
        {
            problems.Add("type", "the file names no galaxy type, which every cluster id needs; nothing was read");
            return null;
        }

        type = type.Trim().ToLowerInvariant();
        if (MispGalaxyTypes.StixType(type) is null)
        {
            problems.Add("type", $"galaxy '{type}' describes no threat actor, malware, tool or technique; its clusters were not read");
            return null;
        }

        return type;
    }

    private static IEnumerable<JsonElement> Clusters(JsonElement root, MispProblems problems) =>
        MispJson.Array(root, "values", "", problems, "clusters") is { } values ? values.EnumerateArray() : [];

    [GeneratedRegex(@"^G\d{4}$")]
    private static partial Regex GroupId();

    [GeneratedRegex(@"\s-\s(G\d{4})$")]
    private static partial Regex AttackId();
}
