using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;
using Bulwark.Core.Intel.Patterning;

namespace Bulwark.Core.Intel.Stix;

/// <summary>
/// STIX has no full-path property on <c>file</c>: a file at a path is written
/// <c>[file:name = 'shell.aspx' AND file:parent_directory_ref.path = 'C:\\inetpub\\wwwroot\\aspnet_client']</c>
/// (MISP's STIX export does the same). That pair is exactly one file path, so it compiles to a
/// <see cref="IocKind.FilePath"/> value the index matches directly, not to a complex pattern pre-filtered by name.
/// </summary>
internal static class StixFilePaths
{
    /// <summary>The file path a name-and-directory pattern denotes, or null for any other pattern.</summary>
    public static CompiledPattern? Compile(Pattern pattern)
    {
        if (pattern.Expression is not SimpleObservation { Comparison: CompositeComparison { Operator: LogicalOperator.And, Operands.Count: 2 } and })
        {
            return null;
        }

        string? name = null;
        string? directory = null;
        foreach (var operand in and.Operands)
        {
            if (operand is not PropertyComparison { Negated: false, Operator: ComparisonOperator.Equal, Value: StringLiteral { Value: var value }, Path: { ObjectType: "file" } path })
            {
                return null;
            }

            if (IsPath(path, "name"))
            {
                name = value;
            }
            else if (IsPath(path, "parent_directory_ref", "path"))
            {
                directory = value;
            }
        }

        if (name is not { Length: > 0 } || directory is not { Length: > 0 } || name.AsSpan().ContainsAny('\\', '/'))
        {
            return null;
        }

        var separator = directory.Contains('\\', StringComparison.Ordinal) ? '\\' : '/';
        var full = directory.TrimEnd('\\', '/') + separator + name;
        return new CompiledPattern([new IndexValue(IocKind.FilePath, full)], Complex: false, null);
    }

    private static bool IsPath(ObjectPath path, params ReadOnlySpan<string> names)
    {
        if (path.Steps.Count != names.Length)
        {
            return false;
        }

        for (var i = 0; i < names.Length; i++)
        {
            if (path.Steps[i] is not PropertyStep step || !string.Equals(step.Name, names[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
