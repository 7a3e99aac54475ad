namespace Bulwark.Core.Intel.Misp;

/// <summary>What a to_ids attribute of a MISP object is, by its <c>object_relation</c> in the object's template.</summary>
internal enum MispRelationRole : byte
{
    /// <summary>A value identifying the object's observable: every key is needed together (AND).</summary>
    Key,

    /// <summary>Needed together too, but the IOC index cannot hold it (a subject, a header): the evaluator confirms it.</summary>
    Confirm,

    /// <summary>A part of a key (the domain of a URL): covered by the key when the object has one, else its own indicator.</summary>
    Part,

    /// <summary>A value that is an indicator on its own (OR): the entries of list templates.</summary>
    Alone,
}

/// <summary>
/// One relation of a template: the MISP types it takes, its role, and for keys the STIX object path it becomes.
/// <paramref name="Rank"/> orders a file's hashes (the strongest stands for the content); <paramref name="AllOf"/>
/// says several values are all required (an e-mail's recipients) rather than alternatives (a file's names).
/// </summary>
internal sealed record MispObjectRelation(string[] Types, MispRelationRole Role, string? Path = null, int Rank = 0, bool AllOf = false);

/// <summary>
/// The MISP object templates Bulwark reads with their meaning (MISP/misp-objects: <c>objects/*/definition.json</c>):
/// <list type="bullet">
/// <item><c>file</c>, <c>url</c>, <c>email</c> describe one observable: their to_ids keys become one indicator whose
/// STIX pattern needs them together (<c>[file:hashes.'SHA-256' = '…' AND file:name = '…']</c>).</item>
/// <item><c>domain-ip</c> and <c>ip-port</c> are lists: each address and name is an indicator on its own. Bulwark sees
/// no DNS resolution to pair a name with an address, and no remote port in the logs it reads.</item>
/// </list>
/// Any other template is read attribute by attribute, as plain attributes are.
/// </summary>
internal static class MispObjectTemplates
{
    private static readonly string[] Ip = ["ip-dst", "ip-src"];

    /// <summary>Each template's relations in the order its pattern lists them.</summary>
    private static readonly Dictionary<string, (bool Together, (string Name, MispObjectRelation Meaning)[] Relations)> Templates = new(StringComparer.OrdinalIgnoreCase)
    {
        ["file"] = (true,
        [
            ("md5", new(["md5"], MispRelationRole.Key, "file:hashes.MD5", Rank: 1)),
            ("sha1", new(["sha1"], MispRelationRole.Key, "file:hashes.'SHA-1'", Rank: 2)),
            ("sha256", new(["sha256"], MispRelationRole.Key, "file:hashes.'SHA-256'", Rank: 3)),
            ("malware-sample", new(["malware-sample"], MispRelationRole.Key)),
            ("filename", new(["filename"], MispRelationRole.Key, "file:name")),
        ]),
        ["url"] = (true,
        [
            ("url", new(["url", "link", "uri"], MispRelationRole.Key, "url:value")),
            ("domain", new(["domain"], MispRelationRole.Part)),
            ("host", new(["hostname", "domain"], MispRelationRole.Part)),
            ("ip", new(Ip, MispRelationRole.Alone)),
        ]),
        ["email"] = (true,
        [
            ("from", new(["email-src"], MispRelationRole.Key, "email-message:from_ref.value")),
            ("to", new(["email-dst"], MispRelationRole.Key, "email-message:to_refs[*].value", AllOf: true)),
            ("cc", new(["email-dst"], MispRelationRole.Key, "email-message:cc_refs[*].value", AllOf: true)),
            ("reply-to", new(["email-reply-to"], MispRelationRole.Confirm, "email-message:additional_header_fields.'Reply-To'")),
            ("subject", new(["email-subject"], MispRelationRole.Confirm, "email-message:subject")),
            ("attachment", new(["email-attachment"], MispRelationRole.Confirm, "email-message:body_multipart[*].body_raw_ref.name", AllOf: true)),
            ("x-mailer", new(["email-x-mailer"], MispRelationRole.Confirm, "email-message:additional_header_fields.'X-Mailer'")),
            ("message-id", new(["email-message-id"], MispRelationRole.Confirm, "email-message:message_id")),
        ]),
        ["domain-ip"] = (false,
        [
            ("domain", new(["domain"], MispRelationRole.Alone)),
            ("hostname", new(["hostname"], MispRelationRole.Alone)),
            ("ip", new(Ip, MispRelationRole.Alone)),
        ]),
        ["ip-port"] = (false,
        [
            ("ip", new(Ip, MispRelationRole.Alone)),
            ("ip-dst", new(["ip-dst"], MispRelationRole.Alone)),
            ("ip-src", new(["ip-src"], MispRelationRole.Alone)),
            ("domain", new(["domain"], MispRelationRole.Alone)),
            ("hostname", new(["hostname"], MispRelationRole.Alone)),
        ]),
    };

    /// <summary>True when <paramref name="name"/> is a template Bulwark knows; <paramref name="together"/> tells whether its keys make one indicator.</summary>
    public static bool TryFind(string name, out bool together)
    {
        together = Templates.TryGetValue(name, out var template) && template.Together;
        return template.Relations is not null;
    }

    /// <summary>
    /// Where a comparison on <paramref name="path"/> goes in an object's pattern: in the template's order (a file's
    /// hash before its name, an e-mail's sender first), so the pattern reads the same whatever order MISP wrote.
    /// </summary>
    public static int Order(string name, string path)
    {
        if (Templates.TryGetValue(name, out var template))
        {
            var i = 0;
            foreach (var (_, relation) in template.Relations)
            {
                if (relation.Path == path)
                {
                    return i;
                }

                i++;
            }
        }

        return int.MaxValue;
    }

    /// <summary>The relation <paramref name="relation"/> of template <paramref name="name"/>, or null when the template does not define it.</summary>
    public static MispObjectRelation? Relation(string name, string relation) =>
        Templates.TryGetValue(name, out var template) ? Array.Find(template.Relations, r => r.Name == relation).Meaning : null;
}
