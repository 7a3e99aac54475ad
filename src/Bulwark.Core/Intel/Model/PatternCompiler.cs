using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Lists;
using Bulwark.Core.Intel.Patterning;

namespace Bulwark.Core.Intel.Model;

/// <summary>A value of a pattern the IOC index can hold.</summary>
public readonly record struct IndexValue(IocKind Kind, string Value)
{
    /// <summary>The index entry for this value of indicator <paramref name="reference"/>, with the indicator's marking, confidence and validity.</summary>
    public IocIndicator ToIndicator(string source, Tlp tlp, int confidence, DateTimeOffset? validFrom, DateTimeOffset? validUntil, string reference) =>
        new(Kind, Value, source) { Tlp = tlp, Confidence = confidence, ValidFrom = validFrom, ValidUntil = validUntil, Reference = reference };
}

/// <summary>
/// What a STIX pattern gives the IOC index (intel.md §1.3): a simple pattern (one observation, <c>=</c> / <c>IN</c>
/// joined by OR on indexable paths) compiles to its values and a hit is a match; any other pattern gives values such
/// that every observation of a match contains one, so the index pre-filters and the pattern is evaluated only on
/// events that hit. A pattern with no such values is kept but cannot match (<see cref="Unindexable"/> says why).
/// </summary>
public sealed record CompiledPattern(IReadOnlyList<IndexValue> Values, bool Complex, string? Unindexable);

public static class PatternCompiler
{
    public static CompiledPattern Compile(Pattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.SimpleValues() is { } simple)
        {
            var values = new List<IndexValue>(simple.Count);
            foreach (var item in simple)
            {
                if (ToIndexValue(item.Path, item.Value) is not { } value)
                {
                    values = null;
                    break;
                }

                values.Add(value);
            }

            if (values is not null)
            {
                return new CompiledPattern(values, Complex: false, null);
            }
        }

        var required = Required(pattern.Expression);
        return required is null or { Count: 0 }
            ? new CompiledPattern([], Complex: true, "no observable value (IP, domain, URL, email address, hash, file name) that every match must contain, so the index cannot select events for it")
            : new CompiledPattern(required, Complex: true, null);
    }

    /// <summary>The index kind and value for <c>path = value</c>, or null when the index does not hold that path.</summary>
    public static IndexValue? ToIndexValue(ObjectPath path, PatternLiteral literal)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (literal is not StringLiteral { Value: var text } || text.Length == 0)
        {
            return null;
        }

        var key = PathKey(path);
        IocKind? kind = key switch
        {
            "ipv4-addr:value" => text.Contains('/', StringComparison.Ordinal) ? IocKind.CidrV4 : IocKind.IPv4,
            "ipv6-addr:value" => text.Contains('/', StringComparison.Ordinal) ? IocKind.CidrV6 : IocKind.IPv6,
            "network-traffic:src_ref.value" or "network-traffic:dst_ref.value" => AddressKind(text),
            "domain-name:value" => IocKind.Domain,
            "url:value" => IocKind.Url,
            "email-addr:value" or "email-message:from_ref.value" or "email-message:sender_ref.value"
                or "email-message:to_refs[*].value" or "email-message:cc_refs[*].value" => IocKind.Email,
            "file:hashes.md5" or "artifact:hashes.md5" => IocKind.Md5,
            "file:hashes.sha-1" or "file:hashes.sha1" or "artifact:hashes.sha-1" => IocKind.Sha1,
            "file:hashes.sha-256" or "file:hashes.sha256" or "artifact:hashes.sha-256" => IocKind.Sha256,
            "file:name" => IocKind.FileName,
            "network-traffic:extensions.http-request-ext.request_header.user-agent" => IocKind.UserAgent,
            _ => null,
        };
        return kind is { } k ? new IndexValue(k, text) : null;
    }

    private static IocKind? AddressKind(string text) => PlainList.Classify(text) is { } kind and (IocKind.IPv4 or IocKind.IPv6 or IocKind.CidrV4 or IocKind.CidrV6) ? kind : null;

    /// <summary>Path in lower case with <c>[*]</c> for any index, for matching against the known paths.</summary>
    private static string PathKey(ObjectPath path)
    {
        var builder = new System.Text.StringBuilder(path.ObjectType.ToLowerInvariant()).Append(':');
        for (var i = 0; i < path.Steps.Count; i++)
        {
            switch (path.Steps[i])
            {
                case PropertyStep property:
                    if (i > 0)
                    {
                        builder.Append('.');
                    }

                    builder.Append(property.Name.ToLowerInvariant());
                    break;
                case IndexStep:
                    builder.Append("[*]");
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Values such that every observation a match of <paramref name="expression"/> binds contains one of them; null
    /// when there is no such set. For AND / FOLLOWEDBY of observations that is every operand's values, so that a scan
    /// sees each event that can take part in a match (intel.md: multi-observation patterns); when an operand has none,
    /// the smallest operand's values still select events, but such a pattern cannot be confirmed in a scan.
    /// </summary>
    private static List<IndexValue>? Required(ObservationExpression expression) => expression switch
    {
        SimpleObservation simple => Required(simple.Comparison),
        QualifiedObservation qualified => Required(qualified.Inner),
        CompositeObservation { Operator: ObservationOperator.Or } or => Union(or.Operands.Select(Required)),
        CompositeObservation all => Union(all.Operands.Select(Required)) ?? Smallest(all.Operands.Select(Required)),
        _ => null,
    };

    private static List<IndexValue>? Required(ComparisonExpression comparison) => comparison switch
    {
        PropertyComparison { Negated: false, Operator: ComparisonOperator.Equal } equal =>
            ToIndexValue(equal.Path, equal.Value) is { } v ? [v] : null,
        PropertyComparison { Negated: false, Operator: ComparisonOperator.In, Value: SetLiteral set } @in =>
            Union(set.Items.Select(item => ToIndexValue(@in.Path, item) is { } v ? new List<IndexValue> { v } : null)),
        PropertyComparison { Negated: false, Operator: ComparisonOperator.IsSubset, Value: StringLiteral network } subset
            when PathKey(subset.Path) is "ipv4-addr:value" or "ipv6-addr:value" && network.Value.Contains('/', StringComparison.Ordinal) =>
            ToIndexValue(subset.Path, network) is { } v ? [v] : null,
        CompositeComparison { Operator: LogicalOperator.Or } or => Union(or.Operands.Select(Required)),
        CompositeComparison and => Smallest(and.Operands.Select(Required)),
        _ => null,
    };

    private static List<IndexValue>? Union(IEnumerable<List<IndexValue>?> parts)
    {
        var all = new List<IndexValue>();
        foreach (var part in parts)
        {
            if (part is null)
            {
                return null;
            }

            all.AddRange(part);
        }

        return all;
    }

    /// <summary>
    /// The fewest values every match must contain (fewer index hits to evaluate), and among as few the strongest (a
    /// SHA-256 before a file name): an AND of several one-value comparisons is selected by its rarest value, whatever
    /// order it was written in.
    /// </summary>
    private static List<IndexValue>? Smallest(IEnumerable<List<IndexValue>?> parts)
    {
        List<IndexValue>? best = null;
        foreach (var part in parts)
        {
            if (part is not null && (best is null || part.Count < best.Count || (part.Count == best.Count && Weakest(part) > Weakest(best))))
            {
                best = part;
            }
        }

        return best;
    }

    /// <summary>How rarely a value of the weakest kind in <paramref name="values"/> hits unrelated events: higher is rarer.</summary>
    private static int Weakest(List<IndexValue> values)
    {
        var weakest = int.MaxValue;
        foreach (var value in values)
        {
            weakest = Math.Min(weakest, Strength(value.Kind));
        }

        return weakest;
    }

    private static int Strength(IocKind kind) => kind switch
    {
        IocKind.Sha256 => 10,
        IocKind.Sha1 => 9,
        IocKind.Md5 => 8,
        IocKind.Url => 7,
        IocKind.Email => 6,
        IocKind.IPv4 or IocKind.IPv6 => 5,
        IocKind.FilePath => 4,
        IocKind.Domain => 3,
        IocKind.CidrV4 or IocKind.CidrV6 => 2,
        IocKind.FileName => 1,
        _ => 0,
    };
}
