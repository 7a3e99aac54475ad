using System.Globalization;
using System.Text.Json;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Lists;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Patterning;

namespace Bulwark.Core.Intel.Misp;

/// <summary>
/// Reads MISP events into the catalog: <c>{"Event": {…}}</c>, a bare event object, a list of events, or the
/// <c>{"response": [{"Event": …}, …]}</c> that <c>/events/restSearch</c> returns (read event by event, so a
/// response cut short still gives every event before the cut). Each attribute with <c>to_ids</c> becomes an
/// <see cref="IntelIndicator"/> (<c>misp-attribute--&lt;uuid&gt;</c>) whose values the IOC index holds; attributes
/// without it are counted, not indexed (MISP marks them context). A <c>file</c>, <c>url</c> or <c>email</c> object is
/// one indicator (<c>misp-object--&lt;uuid&gt;</c>) needing its keys together; other objects' attributes are read one by
/// one (<see cref="MispObjectTemplates"/>). The event becomes a <c>report</c>; its galaxy
/// clusters become objects that every to_ids indicator <c>indicates</c>. TLP is the strictest <c>tlp:*</c> tag of the
/// event and the attribute (the source's default when there is none); confidence comes from
/// <c>misp:confidence-level</c> or <c>admiralty-scale:information-credibility</c> tags (see <see cref="MispTags"/>).
/// One reader can read many events (a feed): galaxy tags resolve against clusters read before.
/// </summary>
public sealed class MispEventReader
{
    private static readonly string[] DistributionNames =
        ["your-organisation", "this-community", "connected-communities", "all-communities", "sharing-group", "inherit"];

    private readonly IntelCatalog _catalog;
    private readonly IntelSource _source;
    private Dictionary<string, string>? _clustersByTag;

    public MispEventReader(IntelCatalog catalog, IntelSource source)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(source);
        _catalog = catalog;
        _source = source;
        catalog.AddSource(source);
    }

    public MispReadResult ReadFile(string path) => Read(File.ReadAllBytes(path), path);

    public MispReadResult Read(Stream json, string file) => Read(MispJson.ReadAll(json), file);

    public async Task<MispReadResult> ReadAsync(Stream json, string file, CancellationToken cancellationToken = default) =>
        Read(await MispJson.ReadAllAsync(json, cancellationToken).ConfigureAwait(false), file);

    public MispReadResult Read(ReadOnlyMemory<byte> utf8, string file)
    {
        var problems = new MispProblems(file, _catalog);
        var tally = new MispTally();
        var data = MispJson.SkipBom(utf8);
        if (data.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            problems.Add("", "the file is empty; expected a MISP event ({\"Event\": …}) or a list of events");
            return tally.ToResult(problems);
        }

        var reader = new Utf8JsonReader(data.Span, MispJson.ReaderOptions);
        try
        {
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    ReadList(ref reader, "", problems, tally);
                    break;
                case JsonTokenType.StartObject:
                    if (!ReadWrapper(ref reader, problems, tally))
                    {
                        // No "Event" or "response" member: the object is an event itself.
                        using var document = JsonDocument.Parse(data, MispJson.DocumentOptions);
                        ReadEvent(document.RootElement, "", problems, tally);
                    }

                    break;
                default:
                    problems.Add("", $"expected a MISP event ({{\"Event\": …}}) or a list of events, found {Token(reader.TokenType)}; nothing was read");
                    break;
            }
        }
        catch (JsonException error)
        {
            var read = tally.Events switch
            {
                0 => "nothing was read from this file",
                1 => "the event before it was read, nothing after it",
                var n => $"the {n} events before it were read, nothing after them",
            };
            problems.Add(MispJson.Position(error), $"invalid JSON: {MispJson.Reason(error)}; {read}");
        }

        return tally.ToResult(problems);
    }

    /// <summary>Reads the members of a top-level object; false when it had neither <c>Event</c> nor <c>response</c>.</summary>
    private bool ReadWrapper(ref Utf8JsonReader reader, MispProblems problems, MispTally tally)
    {
        var found = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            if (name == "response")
            {
                found = true;
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    ReadList(ref reader, "response", problems, tally);
                }
                else if (reader.TokenType == JsonTokenType.StartObject)
                {
                    using var document = JsonDocument.ParseValue(ref reader);
                    ReadItem(document.RootElement, "response", problems, tally);
                }
                else
                {
                    problems.Add("response", $"expected a list of events, found {Token(reader.TokenType)}; nothing was read");
                }
            }
            else if (name == "Event")
            {
                found = true;
                using var document = JsonDocument.ParseValue(ref reader);
                ReadEvent(document.RootElement, "Event", problems, tally);
            }
            else
            {
                reader.Skip();
            }
        }

        return found;
    }

    private void ReadList(ref Utf8JsonReader reader, string where, MispProblems problems, MispTally tally)
    {
        var i = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var at = MispJson.Item(where, i++);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                problems.Add(at, $"expected an event object, found {Token(reader.TokenType)}");
                reader.Skip();
                continue;
            }

            using var document = JsonDocument.ParseValue(ref reader);
            ReadItem(document.RootElement, at, problems, tally);
        }
    }

    /// <summary>An item of a list: <c>{"Event": {…}}</c> or the event itself.</summary>
    private void ReadItem(JsonElement item, string where, MispProblems problems, MispTally tally)
    {
        if (item.TryGetProperty("Event", out var inner))
        {
            ReadEvent(inner, MispJson.Member(where, "Event"), problems, tally);
        }
        else
        {
            ReadEvent(item, where, problems, tally);
        }
    }

    private void ReadEvent(JsonElement ev, string where, MispProblems problems, MispTally tally)
    {
        if (ev.ValueKind != JsonValueKind.Object)
        {
            problems.Add(where, $"expected an event object, found {MispJson.Shown(ev)}");
            return;
        }

        var uuid = MispJson.String(ev, "uuid", where, problems);
        if (uuid is null || !MispIds.IsUuid(uuid))
        {
            var what = ev.TryGetProperty("uuid", out _) ? (uuid is null ? null : $"{MispJson.Quote(uuid)} is not a uuid") : "the event has no uuid";
            if (what is not null)
            {
                problems.Add(MispJson.Member(where, "uuid"), $"{what}; expected the event's uuid (is this a MISP event?); the event was not read");
            }

            return;
        }

        uuid = uuid.ToLowerInvariant();
        tally.Events++;
        var tags = MispTags.Names(ev, where, problems);
        var tlp = MispTags.MaxTlp(tags);
        var context = new EventContext(tags, tlp, MispTags.MinConfidence(tags), Distribution(ev, where, null, problems));

        ReadGalaxies(ev, where, context.Tlp ?? _source.DefaultTlp, context.Clusters, problems, tally);
        ReadGalaxyTags(tags, context.Tlp ?? _source.DefaultTlp, context.Clusters, tally);

        if (MispJson.Array(ev, "Attribute", where, problems, "attributes") is { } attributes)
        {
            var i = 0;
            foreach (var attribute in attributes.EnumerateArray())
            {
                ReadAttribute(attribute, $"{where}.Attribute[{i++}]".TrimStart('.'), context, null, context.Distribution, false, problems, tally);
            }
        }

        if (MispJson.Array(ev, "Object", where, problems, "objects") is { } objects)
        {
            var i = 0;
            foreach (var obj in objects.EnumerateArray())
            {
                ReadObject(obj, $"{where}.Object[{i++}]".TrimStart('.'), context, problems, tally);
            }
        }

        var labels = new List<string>(tags);
        if (context.Distribution is { } d)
        {
            labels.Add(d);
        }

        if (MispJson.Long(ev, "threat_level_id", where, problems) is { } threat)
        {
            labels.Add(threat switch
            {
                1 => "threat-level:high",
                2 => "threat-level:medium",
                3 => "threat-level:low",
                _ => "threat-level:undefined",
            });
        }

        if (MispJson.Long(ev, "analysis", where, problems) is { } analysis)
        {
            labels.Add(analysis switch
            {
                0 => "analysis:initial",
                1 => "analysis:ongoing",
                _ => "analysis:complete",
            });
        }

        var externalIds = new List<ExternalId> { new("misp-event", uuid) };
        if (MispJson.Object(ev, "Orgc", where, problems) is { } orgc)
        {
            var at = MispJson.Member(where, "Orgc");
            if (MispJson.String(orgc, "name", at, problems) is { Length: > 0 } orgName)
            {
                labels.Add($"orgc:{orgName}");
            }

            if (MispJson.String(orgc, "uuid", at, problems) is { } orgUuid && MispIds.IsUuid(orgUuid))
            {
                externalIds.Add(new ExternalId("misp-organisation", orgUuid.ToLowerInvariant()));
            }
        }

        var info = MispJson.String(ev, "info", where, problems);
        var report = new IntelObject(MispIds.Report(uuid), "report", string.IsNullOrWhiteSpace(info) ? $"MISP event {uuid}" : info.Trim(), _source.Id)
        {
            Labels = labels,
            ExternalIds = externalIds,
            Created = MispJson.Time(ev, "date", where, problems),
            Modified = MispJson.Epoch(ev, "timestamp", where, problems),
            Confidence = context.Confidence,
            Tlp = context.Tlp ?? _source.DefaultTlp,
            ObjectRefs = [.. context.Indicators, .. context.Clusters],
        };
        if (_catalog.Add(report))
        {
            tally.Objects++;
        }
    }

    /// <summary>A plain attribute (or one of an object read attribute by attribute): its own indicator.</summary>
    private void ReadAttribute(JsonElement attribute, string where, EventContext context, string? objectName, string? inherited, bool objectDeleted, MispProblems problems, MispTally tally)
    {
        if (Parse(attribute, where, objectDeleted, problems, tally) is { } read)
        {
            AddAttribute(read, context, objectName, inherited, problems, tally);
        }
    }

    /// <summary>
    /// Checks an attribute and maps its value; null when it gives no indicator (not to_ids, deleted, malformed: counted
    /// or reported here). A later version that is deleted or no longer for detection withdraws the indicator read before.
    /// </summary>
    private AttributeRead? Parse(JsonElement attribute, string where, bool objectDeleted, MispProblems problems, MispTally tally)
    {
        if (attribute.ValueKind != JsonValueKind.Object)
        {
            problems.Add(where, $"expected an attribute object, found {MispJson.Shown(attribute)}");
            return null;
        }

        if (!attribute.TryGetProperty("uuid", out _))
        {
            problems.Add(MispJson.Member(where, "uuid"), "the attribute has no uuid, which its indicator id needs; it was not read");
            return null;
        }

        if (MispJson.String(attribute, "uuid", where, problems) is not { } uuid)
        {
            return null;
        }

        if (!MispIds.IsUuid(uuid))
        {
            problems.Add(MispJson.Member(where, "uuid"), $"{MispJson.Quote(uuid)} is not a uuid; the attribute was not read");
            return null;
        }

        var id = MispIds.Indicator(uuid.ToLowerInvariant());
        var type = MispJson.String(attribute, "type", where, problems);
        if (string.IsNullOrWhiteSpace(type))
        {
            if (!attribute.TryGetProperty("type", out var t) || t.ValueKind is JsonValueKind.String or JsonValueKind.Null)
            {
                problems.Add(MispJson.Member(where, "type"), "the attribute has no type; it was not read");
            }

            return null;
        }

        type = type.Trim();
        var modified = MispJson.Epoch(attribute, "timestamp", where, problems);
        var deleted = objectDeleted || (MispJson.Bool(attribute, "deleted", where, problems) ?? false);
        var toIds = MispJson.Bool(attribute, "to_ids", where, problems) ?? false;
        if (deleted || !toIds)
        {
            Withdraw(id, modified, tally);
            if (!deleted)
            {
                tally.NotForDetection++;
            }

            return null;
        }

        if (!attribute.TryGetProperty("value", out var written) || written.ValueKind == JsonValueKind.Null)
        {
            problems.Add(MispJson.Member(where, "value"), $"the {type} attribute has no value; it was not read");
            return null;
        }

        if (MispJson.AsString(written, MispJson.Member(where, "value"), problems) is not { } raw)
        {
            return null;
        }

        if (raw.Length > MispAttributeTypes.MaxValueLength)
        {
            problems.Add(MispJson.Member(where, "value"), $"the {type} value is {raw.Length.ToString("N0", CultureInfo.InvariantCulture)} characters long; at most {MispAttributeTypes.MaxValueLength.ToString("N0", CultureInfo.InvariantCulture)} are taken, so it was not read");
            return null;
        }

        // A user agent is matched exactly as written; everything else is trimmed and refanged.
        var value = type.Equals("user-agent", StringComparison.OrdinalIgnoreCase) ? raw : PlainList.Refang(raw.Trim());
        var values = new List<IndexValue>(2);
        var outcome = MispAttributeTypes.Map(type, value, values, out var error);
        if (outcome == MispMapOutcome.Invalid)
        {
            problems.Add(MispJson.Member(where, "value"), $"{error}, as type '{type}' needs; the attribute was not read");
            return null;
        }

        return new AttributeRead(attribute, where, id, type, value, raw.Trim(), values, outcome == MispMapOutcome.Mapped, modified);
    }

    /// <summary>Revokes the indicator <paramref name="id"/> held from an earlier read, unless that version is newer.</summary>
    private void Withdraw(string id, DateTimeOffset? modified, MispTally tally)
    {
        if (_catalog.GetIndicator(id) is { Revoked: false } held
            && !(modified is { } m && held.Modified is { } h && m <= h)
            && _catalog.Add(held with { Revoked = true, Values = [], Modified = modified ?? held.Modified?.AddTicks(1) ?? DateTimeOffset.UnixEpoch }))
        {
            tally.Revoked++;
        }
    }

    private void AddAttribute(AttributeRead read, EventContext context, string? objectName, string? inherited, MispProblems problems, MispTally tally)
    {
        if (!read.Indexable)
        {
            tally.Unsupported(read.Type);
            return;
        }

        var (attribute, where, id, type) = (read.Element, read.Where, read.Id, read.Type);
        var tags = MispTags.Names(attribute, where, problems);
        var tlp = MispTags.MaxTlp(context.Tags.Concat(tags)) ?? _source.DefaultTlp;
        var confidence = MispTags.MinConfidence(tags) ?? context.Confidence ?? _source.DefaultConfidence;
        var (validFrom, validUntil) = Validity(attribute, where, problems);
        var labels = new List<string>(4);
        if (MispJson.String(attribute, "category", where, problems) is { Length: > 0 } category)
        {
            labels.Add(category);
        }

        labels.Add(type);
        if (objectName is { Length: > 0 })
        {
            labels.Add($"misp-object:{objectName}");
        }

        if (Distribution(attribute, where, inherited, problems) is { } distribution)
        {
            labels.Add(distribution);
        }

        var indicator = new IntelIndicator(id, _source.Id)
        {
            PatternType = "misp",
            PatternText = $"{type}:{read.Value}",
            Values = [.. read.Values.Select(v => v.ToIndicator(_source.Id, tlp, confidence, validFrom, validUntil, id))],
            Labels = labels,
            Tlp = tlp,
            Confidence = confidence,
            ValidFrom = validFrom,
            ValidUntil = validUntil,
            Modified = read.Modified,
            Description = MispJson.String(attribute, "comment", where, problems) is { Length: > 0 } comment ? comment : null,
        };
        // An unchanged attribute of an updated event is held already: still the report's and still linked.
        if (_catalog.Add(indicator))
        {
            tally.Indicators++;
        }

        context.Indicators.Add(id);
        var clusters = new List<string>(context.Clusters);
        ReadGalaxies(attribute, where, tlp, clusters, problems, tally);
        ReadGalaxyTags(tags, tlp, clusters, tally);
        Indicates(id, clusters, confidence, tlp, read.Modified, tally);
    }

    private void Indicates(string id, List<string> clusters, int confidence, Tlp tlp, DateTimeOffset? modified, MispTally tally)
    {
        foreach (var cluster in clusters)
        {
            var relationship = new IntelRelationship(MispIds.Relationship(id, IntelRelationship.Indicates, cluster), id, IntelRelationship.Indicates, cluster, _source.Id)
            {
                Confidence = confidence,
                Tlp = tlp,
                Modified = modified,
            };
            if (_catalog.Add(relationship))
            {
                tally.Relationships++;
            }
        }
    }

    /// <summary>
    /// A MISP object. A <c>file</c>, <c>url</c> or <c>email</c> object describes one observable: its to_ids keys become
    /// one indicator (<c>misp-object--&lt;uuid&gt;</c>) whose STIX pattern needs them together, compiled as any STIX pattern
    /// is (the index holds the rarest value, the evaluator confirms the rest). Entries of list templates
    /// (<c>domain-ip</c>, <c>ip-port</c>), relations a template does not join, and objects of other templates are read
    /// attribute by attribute (any one is an indicator). See <see cref="MispObjectTemplates"/>.
    /// </summary>
    private void ReadObject(JsonElement obj, string at, EventContext context, MispProblems problems, MispTally tally)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            problems.Add(at, $"expected a MISP object, found {MispJson.Shown(obj)}");
            return;
        }

        var name = MispJson.String(obj, "name", at, problems)?.Trim();
        var deleted = MispJson.Bool(obj, "deleted", at, problems) ?? false;
        var distribution = Distribution(obj, at, context.Distribution, problems);
        var known = false;
        var together = false;
        if (string.IsNullOrEmpty(name))
        {
            if (!obj.TryGetProperty("name", out var written) || written.ValueKind is JsonValueKind.String or JsonValueKind.Null)
            {
                problems.Add(MispJson.Member(at, "name"), "the object names no template, so what its attributes mean together is unknown; they were read one by one");
            }

            name = null;
        }
        else
        {
            known = MispObjectTemplates.TryFind(name, out together);
        }

        string? objectId = null;
        if (together)
        {
            var uuid = MispJson.String(obj, "uuid", at, problems);
            if (uuid is not null && MispIds.IsUuid(uuid))
            {
                objectId = MispIds.ObjectIndicator(uuid.ToLowerInvariant());
            }
            else if (!obj.TryGetProperty("uuid", out var written) || written.ValueKind is JsonValueKind.String or JsonValueKind.Null)
            {
                var what = uuid is null ? "the object has no uuid" : $"{MispJson.Quote(uuid)} is not a uuid";
                problems.Add(MispJson.Member(at, "uuid"), $"{what}, which the {name} object's indicator id needs; its attributes were read one by one");
            }
        }

        var modified = MispJson.Epoch(obj, "timestamp", at, problems);
        if (MispJson.Array(obj, "Attribute", at, problems, "attributes") is not { } attributes)
        {
            if (objectId is not null)
            {
                Withdraw(objectId, modified, tally);
            }

            return;
        }

        if (objectId is null)
        {
            var j = 0;
            foreach (var attribute in attributes.EnumerateArray())
            {
                var where = $"{at}.Attribute[{j++}]";
                if (known)
                {
                    CheckType(attribute, where, name!, problems);
                }

                ReadAttribute(attribute, where, context, name, distribution, deleted, problems, tally);
            }

            return;
        }

        var keys = new List<(MispObjectRelation Meaning, AttributeRead Read)>();
        var parts = new List<AttributeRead>();
        var i = 0;
        foreach (var attribute in attributes.EnumerateArray())
        {
            var where = $"{at}.Attribute[{i++}]";
            if (Parse(attribute, where, deleted, problems, tally) is not { } read)
            {
                continue;
            }

            var relationName = MispJson.String(attribute, "object_relation", where, problems)?.Trim();
            if (string.IsNullOrEmpty(relationName))
            {
                if (!attribute.TryGetProperty("object_relation", out var written) || written.ValueKind is JsonValueKind.String or JsonValueKind.Null)
                {
                    problems.Add(MispJson.Member(where, "object_relation"), $"the attribute has no object_relation, so its place in the {name} object is unknown; it was read on its own");
                }

                AddAttribute(read, context, name, distribution, problems, tally);
                continue;
            }

            var meaning = MispObjectTemplates.Relation(name!, relationName);
            if (meaning is null || meaning.Role == MispRelationRole.Alone || !Fits(read.Type, meaning))
            {
                if (meaning is not null && !Fits(read.Type, meaning))
                {
                    WrongType(where, name!, relationName, meaning, read.Type, problems);
                }

                AddAttribute(read, context, name, distribution, problems, tally);
            }
            else if (meaning.Role == MispRelationRole.Part)
            {
                parts.Add(read);
            }
            else if (meaning.Role == MispRelationRole.Key && !read.Indexable)
            {
                tally.Unsupported(read.Type);
            }
            else if (meaning.Role == MispRelationRole.Key && meaning.Path == "file:name" && read.Values.Any(v => v.Kind == IocKind.FilePath))
            {
                // A path cannot be confirmed with the file's hash (a scanned tree is collected from anywhere): on its own.
                AddAttribute(read, context, name, distribution, problems, tally);
            }
            else
            {
                keys.Add((meaning, read));
            }
        }

        if (!keys.Any(key => key.Meaning.Role == MispRelationRole.Key))
        {
            foreach (var (_, read) in keys)
            {
                tally.Unsupported(read.Type);
            }

            foreach (var read in parts)
            {
                AddAttribute(read, context, name, distribution, problems, tally);
            }

            Withdraw(objectId, modified, tally);
            return;
        }

        AddObject(obj, at, objectId, name!, keys, modified, context, distribution, problems, tally);
    }

    /// <summary>The object's keys as one indicator whose pattern needs them all (the parts are covered by them).</summary>
    private void AddObject(
        JsonElement obj, string at, string id, string name, List<(MispObjectRelation Meaning, AttributeRead Read)> keys,
        DateTimeOffset? modified, EventContext context, string? distribution, MispProblems problems, MispTally tally)
    {
        // The hashes of one file are one content: the strongest stands for them all (a scan always has SHA-256, and
        // the weaker ones are computed only when the index holds such values).
        var strongest = keys.Max(key => key.Meaning.Rank);
        var comparisons = new List<(string Path, bool AllOf, List<string> Values)>();
        var tags = new List<string>();
        var labels = new List<string>();
        var description = MispJson.String(obj, "comment", at, problems) is { Length: > 0 } comment ? comment : null;
        foreach (var (meaning, read) in keys)
        {
            // Every key marks the object, a weaker hash left out of the pattern too.
            tags.AddRange(MispTags.Names(read.Element, read.Where, problems));
            if (MispJson.String(read.Element, "category", read.Where, problems) is { Length: > 0 } category && !labels.Contains(category))
            {
                labels.Add(category);
            }

            if (read.Modified is { } m && (modified is null || m > modified))
            {
                modified = m;
            }

            if (meaning.Rank > 0 && meaning.Rank < strongest)
            {
                continue;
            }

            if (meaning.Role == MispRelationRole.Confirm)
            {
                Compare(comparisons, meaning.Path!, meaning.AllOf, read.Raw);
                continue;
            }

            foreach (var value in read.Values)
            {
                // A malware sample gives its MD5 (unless a stronger hash stands for the content) and its name; its path
                // is not confirmed with the hash.
                var path = meaning.Path ?? value.Kind switch
                {
                    IocKind.Md5 when strongest <= 1 => "file:hashes.MD5",
                    IocKind.FileName => "file:name",
                    _ => null,
                };
                if (path is not null)
                {
                    Compare(comparisons, path, meaning.AllOf, value.Kind is IocKind.Md5 or IocKind.Sha1 or IocKind.Sha256 ? value.Value.ToLowerInvariant() : value.Value);
                }
            }
        }

        var text = "[" + string.Join(" AND ", comparisons.OrderBy(c => MispObjectTemplates.Order(name, c.Path)).Select(Comparison)) + "]";
        var pattern = Pattern.Parse(text);
        var compiled = PatternCompiler.Compile(pattern);
        labels.Add($"misp-object:{name}");
        if (distribution is not null)
        {
            labels.Add(distribution);
        }

        var tlp = MispTags.MaxTlp(context.Tags.Concat(tags)) ?? _source.DefaultTlp;
        var confidence = MispTags.MinConfidence(tags) ?? context.Confidence ?? _source.DefaultConfidence;
        var (validFrom, validUntil) = Validity(obj, at, problems);
        var indicator = new IntelIndicator(id, _source.Id)
        {
            PatternType = "stix",
            PatternText = pattern.ToString(),
            Pattern = pattern,
            Complex = compiled.Complex,
            Values = [.. compiled.Values.Select(v => v.ToIndicator(_source.Id, tlp, confidence, validFrom, validUntil, id))],
            Labels = labels,
            Tlp = tlp,
            Confidence = confidence,
            ValidFrom = validFrom,
            ValidUntil = validUntil,
            Modified = modified,
            Description = description,
        };
        if (_catalog.Add(indicator))
        {
            tally.Indicators++;
        }

        context.Indicators.Add(id);
        var clusters = new List<string>(context.Clusters);
        foreach (var (_, read) in keys)
        {
            ReadGalaxies(read.Element, read.Where, tlp, clusters, problems, tally);
        }

        ReadGalaxyTags(tags, tlp, clusters, tally);
        Indicates(id, clusters, confidence, tlp, modified, tally);

        static void Compare(List<(string Path, bool AllOf, List<string> Values)> comparisons, string path, bool allOf, string value)
        {
            var at = comparisons.FindIndex(c => c.Path == path);
            if (at < 0)
            {
                comparisons.Add((path, allOf, [value]));
            }
            else if (!comparisons[at].Values.Contains(value, StringComparer.Ordinal))
            {
                comparisons[at].Values.Add(value);
            }
        }

        // Several values of one relation: alternatives (a file's names) as IN, or all required (an e-mail's recipients).
        static string Comparison((string Path, bool AllOf, List<string> Values) c) =>
            c.Values.Count == 1 ? $"{c.Path} = {Literal(c.Values[0])}"
            : c.AllOf ? string.Join(" AND ", c.Values.Select(v => $"{c.Path} = {Literal(v)}"))
            : $"{c.Path} IN ({string.Join(", ", c.Values.Select(Literal))})";

        static string Literal(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
    }

    /// <summary>
    /// For an object read attribute by attribute: reports an attribute whose type is not the one its template gives
    /// its relation (a <c>domain-ip</c> object's <c>ip</c> written as a domain). It is still read, by its type.
    /// </summary>
    private static void CheckType(JsonElement attribute, string where, string template, MispProblems problems)
    {
        if (attribute.ValueKind == JsonValueKind.Object
            && Text(attribute, "object_relation") is { Length: > 0 } relation
            && MispObjectTemplates.Relation(template, relation) is { } meaning
            && Text(attribute, "type") is { Length: > 0 } type
            && !Fits(type, meaning))
        {
            WrongType(where, template, relation, meaning, type, problems);
        }

        static string? Text(JsonElement owner, string name)
        {
            try
            {
                return owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()?.Trim() : null;
            }
            catch (InvalidOperationException)
            {
                return null; // invalid UTF-8: reported where the attribute is read
            }
        }
    }

    private static bool Fits(string type, MispObjectRelation relation) => relation.Types.Contains(type, StringComparer.OrdinalIgnoreCase);

    private static void WrongType(string where, string template, string relation, MispObjectRelation meaning, string type, MispProblems problems) =>
        problems.Add(
            MispJson.Member(where, "type"),
            $"the {template} template gives '{relation}' the type {string.Join(" or ", meaning.Types.Select(t => $"'{t}'"))}, found {MispJson.Quote(type)}; the attribute was read on its own");

    /// <summary>
    /// <c>first_seen</c> / <c>last_seen</c> as the validity window (as misp-stix maps them to <c>valid_from</c> /
    /// <c>valid_until</c>). <c>last_seen</c> is the last instant seen, so one equal to <c>first_seen</c> ends a second
    /// later; one before it is refused and the window left open.
    /// </summary>
    private static (DateTimeOffset? From, DateTimeOffset? Until) Validity(JsonElement attribute, string where, MispProblems problems)
    {
        var from = MispJson.Time(attribute, "first_seen", where, problems);
        var until = MispJson.Time(attribute, "last_seen", where, problems);
        if (from is { } f && until is { } u)
        {
            if (u == f)
            {
                until = u.AddSeconds(1);
            }
            else if (u < f)
            {
                problems.Add(MispJson.Member(where, "last_seen"), $"{u:O} is before first_seen {f:O}; the indicator was kept without an end of validity");
                until = null;
            }
        }

        return (from, until);
    }

    /// <summary>The <c>distribution:…</c> label; 5 (inherit) and absent take <paramref name="inherited"/>.</summary>
    private static string? Distribution(JsonElement owner, string where, string? inherited, MispProblems problems)
    {
        if (MispJson.Long(owner, "distribution", where, problems) is not { } level || level == 5)
        {
            return inherited;
        }

        if (level is < 0 or > 5)
        {
            problems.Add(MispJson.Member(where, "distribution"), $"{level} is not a MISP distribution level (0 to 5)");
            return inherited;
        }

        return $"distribution:{DistributionNames[level]}";
    }

    /// <summary>Clusters of a <c>Galaxy</c> array (an event's or an attribute's) into the catalog and <paramref name="into"/>.</summary>
    private void ReadGalaxies(JsonElement owner, string where, Tlp tlp, List<string> into, MispProblems problems, MispTally tally)
    {
        if (MispJson.Array(owner, "Galaxy", where, problems, "galaxies") is not { } galaxies)
        {
            return;
        }

        var i = 0;
        foreach (var galaxy in galaxies.EnumerateArray())
        {
            var at = $"{where}.Galaxy[{i++}]".TrimStart('.');
            if (galaxy.ValueKind != JsonValueKind.Object)
            {
                problems.Add(at, $"expected a galaxy object, found {MispJson.Shown(galaxy)}");
                continue;
            }

            if (MispJson.String(galaxy, "type", at, problems)?.Trim().ToLowerInvariant() is not { Length: > 0 } type || MispGalaxyTypes.StixType(type) is null)
            {
                continue;
            }

            if (MispJson.Array(galaxy, "GalaxyCluster", at, problems, "clusters") is not { } clusters)
            {
                continue;
            }

            var j = 0;
            foreach (var cluster in clusters.EnumerateArray())
            {
                var clusterAt = $"{at}.GalaxyCluster[{j++}]";
                if (MispGalaxyReader.ToObject(cluster, type, clusterAt, _source, tlp, problems) is not { } item)
                {
                    continue;
                }

                // A cluster read from its galaxy file is fuller than the copy an event carries: keep the first.
                var id = item.Id;
                if (_catalog.GetObject(id) is null && _catalog.Add(item))
                {
                    tally.Objects++;
                }

                var tag = cluster.TryGetProperty("tag_name", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                if (tag is not null && MispTags.TryGalaxy(tag, out var tagType, out var tagValue))
                {
                    ClustersByTag()[TagKey(tagType, tagValue)] = id;
                }

                ClustersByTag()[TagKey(type, item.Name)] = id;
                if (!into.Contains(id))
                {
                    into.Add(id);
                }
            }
        }
    }

    /// <summary>Clusters named by <c>misp-galaxy:type="value"</c> tags: a cluster read before, else one known only by the tag.</summary>
    private void ReadGalaxyTags(List<string> tags, Tlp tlp, List<string> into, MispTally tally)
    {
        foreach (var tag in tags)
        {
            if (!MispTags.TryGalaxy(tag, out var type, out var value) || MispGalaxyTypes.StixType(type) is not { } stixType)
            {
                continue;
            }

            var key = TagKey(type, value);
            if (!ClustersByTag().TryGetValue(key, out var id))
            {
                id = MispIds.ClusterTag(type, value);
                var externalIds = new List<ExternalId>();
                var name = value;
                var dash = value.LastIndexOf(" - G", StringComparison.Ordinal);
                if (dash > 0 && value.Length - dash == 8 && value.AsSpan(dash + 4).IndexOfAnyExceptInRange('0', '9') < 0)
                {
                    externalIds.Add(new ExternalId(ExternalId.MitreAttack, value[(dash + 3)..]));
                    name = value[..dash];
                }

                var item = new IntelObject(id, stixType, name, _source.Id)
                {
                    Labels = [$"misp-galaxy:{type}"],
                    ExternalIds = externalIds,
                    Tlp = tlp,
                };
                if (_catalog.GetObject(id) is null && _catalog.Add(item))
                {
                    tally.Objects++;
                }

                ClustersByTag()[key] = id;
            }

            if (!into.Contains(id))
            {
                into.Add(id);
            }
        }
    }

    /// <summary>Clusters the catalog holds, by galaxy type and value, built on first use.</summary>
    private Dictionary<string, string> ClustersByTag()
    {
        if (_clustersByTag is null)
        {
            _clustersByTag = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var item in _catalog.Objects)
            {
                if (MispIds.ClusterUuid(item.Id) is null)
                {
                    continue;
                }

                foreach (var label in item.Labels)
                {
                    if (label.StartsWith("misp-galaxy:", StringComparison.Ordinal))
                    {
                        _clustersByTag.TryAdd(TagKey(label["misp-galaxy:".Length..], item.Name), item.Id);
                    }
                }
            }
        }

        return _clustersByTag;
    }

    private static string TagKey(string type, string value) => $"{type}\n{value}";

    private static string Token(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>An attribute that passed its checks: its value as written (trimmed), refanged, and mapped for the index.</summary>
    private sealed record AttributeRead(JsonElement Element, string Where, string Id, string Type, string Value, string Raw, List<IndexValue> Values, bool Indexable, DateTimeOffset? Modified);

    /// <summary>What an event gives each of its attributes.</summary>
    private sealed record EventContext(List<string> Tags, Tlp? Tlp, int? Confidence, string? Distribution)
    {
        public List<string> Clusters { get; } = [];

        public List<string> Indicators { get; } = [];
    }
}
