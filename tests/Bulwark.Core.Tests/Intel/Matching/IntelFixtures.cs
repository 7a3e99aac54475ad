using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Tests.Intel.Matching;

/// <summary>Small catalogs written in the model directly, so matching is tested apart from the readers.</summary>
internal static class IntelFixtures
{
    public const string Hafnium = "intrusion-set--2688b13e-8e71-405a-9c40-0dee94bddf87";
    public const string Source = "test-feed";

    public static readonly DateTimeOffset Published = new(2021, 3, 2, 0, 0, 0, TimeSpan.Zero);

    public static IntelCatalog WithHafnium(Tlp tlp = Tlp.Green)
    {
        var catalog = new IntelCatalog();
        catalog.AddSource(new IntelSource(Source, IntelFormat.StixBundle) { Title = "Test feed", DefaultTlp = tlp });
        catalog.Add(new IntelObject(Hafnium, "intrusion-set", "HAFNIUM", Source)
        {
            ExternalIds = [new ExternalId(ExternalId.MitreAttack, "G0125")],
            Aliases = ["Silk Typhoon"],
            Tlp = Tlp.Clear,
        });
        return catalog;
    }

    /// <summary>Adds an indicator of one value that indicates HAFNIUM (unless <paramref name="attributed"/> is false).</summary>
    public static IntelIndicator Indicator(
        this IntelCatalog catalog, string id, IocKind kind, string value, int confidence = 80, Tlp tlp = Tlp.Green, bool attributed = true, bool complex = false, DateTimeOffset? validUntil = null, bool revoked = false)
    {
        var indicator = new IntelIndicator(id, Source)
        {
            Name = $"{kind} {value}",
            Values = [new IocIndicator(kind, value, Source) { Tlp = tlp, Confidence = confidence, ValidFrom = Published, ValidUntil = validUntil, Reference = id }],
            Confidence = confidence,
            Tlp = tlp,
            ValidFrom = Published,
            ValidUntil = validUntil,
            Complex = complex,
            Revoked = revoked,
        };
        catalog.Add(indicator);
        if (attributed)
        {
            catalog.Add(new IntelRelationship("relationship--" + id, id, IntelRelationship.Indicates, Hafnium, Source) { Tlp = tlp });
        }

        return indicator;
    }
}
