using System.Text;

namespace Bulwark.Core.Intel.Patterning;

/// <summary>
/// <c>object-type:property.sub[0].x</c>. <see cref="Steps"/> starts with a <see cref="PropertyStep"/>.
/// </summary>
public sealed record ObjectPath(string ObjectType, EquatableList<PathStep> Steps)
{
    /// <summary>The canonical STIX text of the path.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        WriteTo(builder);
        return builder.ToString();
    }

    internal void WriteTo(StringBuilder builder)
    {
        builder.Append(ObjectType).Append(':');
        for (var i = 0; i < Steps.Count; i++)
        {
            switch (Steps[i])
            {
                case PropertyStep property:
                    if (i > 0)
                        builder.Append('.');
                    PatternSyntax.WritePropertyName(builder, property.Name);
                    break;
                case IndexStep { Index: null }:
                    builder.Append("[*]");
                    break;
                case IndexStep index:
                    builder.Append('[').Append(index.Index!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(']');
                    break;
            }
        }
    }
}

/// <summary>One step of an <see cref="ObjectPath"/>.</summary>
public abstract record PathStep
{
    private protected PathStep()
    {
    }
}

/// <summary>A property (dictionary key or field) name, unquoted.</summary>
public sealed record PropertyStep(string Name) : PathStep;

/// <summary>A list index; <c>null</c> is <c>[*]</c> (any element).</summary>
public sealed record IndexStep(int? Index) : PathStep;
