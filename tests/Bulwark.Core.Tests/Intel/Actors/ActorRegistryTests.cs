using Bulwark.Core.Intel.Actors;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Tests.Intel.Actors;

public sealed class ActorRegistryTests
{
    private const string MagicHound = "intrusion-set--f9d6633a-55e6-4adc-9263-6ae080421a13";
    private const string CharmingKitten = "intrusion-set--92d5b3fd-3b39-438e-af68-770e447beada";

    private static IntelObject Attack(string id, string attackId, string name, params string[] aliases) =>
        new(id, "intrusion-set", name, "attack") { ExternalIds = [new ExternalId(ExternalId.MitreAttack, attackId)], Aliases = aliases };

    private static IntelObject Cluster(string uuid, string name, string? country, params string[] synonyms) =>
        new($"misp-galaxy:threat-actor--{uuid}", "intrusion-set", name, "galaxy")
        {
            Aliases = synonyms,
            Country = country,
            ExternalIds = [new ExternalId(ExternalId.MispGalaxy, uuid)],
        };

    private static IntelCatalog Catalog()
    {
        var catalog = new IntelCatalog();
        catalog.Add(Attack(MagicHound, "G0059", "Magic Hound", "TA453", "COBALT ILLUSION", "Charming Kitten", "APT35", "Mint Sandstorm"));
        catalog.Add(Attack(CharmingKitten, "G0058", "Charming Kitten") with { Revoked = true });
        catalog.Add(new IntelRelationship("relationship--1", CharmingKitten, IntelRelationship.RevokedBy, MagicHound, "attack"));
        catalog.Add(Attack("intrusion-set--2688b13e-8e71-405a-9c40-0dee94bddf87", "G0125", "HAFNIUM", "Operation Exchange Marauder", "Silk Typhoon"));
        catalog.Add(Attack("intrusion-set--00000000-0000-4000-8000-000000000030", "G0030", "Lotus Blossom", "Thrip", "Spring Dragon"));
        catalog.Add(Attack("intrusion-set--00000000-0000-4000-8000-000000000076", "G0076", "Thrip"));
        catalog.Add(Cluster("b8967b3c-3bc9-11e8-8701-8b1ead8c099e", "APT35", "IR", "Magic Hound", "G0059", "Phosphorus"));
        catalog.Add(Cluster("9728610a-17cb-5cac-9322-ef19ae296a29", "Silk Typhoon", null, "HAFNIUM"));
        catalog.Add(Cluster("11111111-1111-4111-8111-111111111111", "Confused Panda", "CN", "HAFNIUM", "Magic Hound"));
        return catalog;
    }

    [Fact]
    public void Groups_merge_on_attack_ids_revocation_and_unambiguous_names()
    {
        var registry = ActorRegistry.Build(Catalog());

        var magicHound = Assert.Single(registry.Resolve("Charming Kitten"));
        Assert.Equal("G0059", magicHound.Id);
        Assert.Equal("Magic Hound", magicHound.Name);
        Assert.Equal(["G0059", "G0058"], magicHound.AttackIds);
        Assert.Equal("IR", magicHound.Country);
        Assert.Equal(100, magicHound.CountryConfidence);
        Assert.Equal(
            [CharmingKitten, MagicHound, "misp-galaxy:threat-actor--b8967b3c-3bc9-11e8-8701-8b1ead8c099e"],
            magicHound.ObjectIds);
        Assert.Contains("Phosphorus", magicHound.Aliases);
        Assert.Same(magicHound, registry.ForObject(CharmingKitten));
        Assert.Same(magicHound, registry.ForObject("b8967b3c-3bc9-11e8-8701-8b1ead8c099e"));
        Assert.Same(magicHound, Assert.Single(registry.Resolve("g0058")));
    }

    [Fact]
    public void A_weather_name_joins_its_group_and_gives_the_country_when_no_source_states_one()
    {
        var registry = ActorRegistry.Build(Catalog());

        var hafnium = Assert.Single(registry.Resolve("Silk Typhoon"));
        Assert.Equal("G0125", hafnium.Id);
        Assert.Equal("HAFNIUM", hafnium.Name);
        Assert.Equal("CN", hafnium.Country);
        Assert.Equal(["attack", "galaxy"], hafnium.Sources);
        Assert.Equal("CN", ActorRegistry.WeatherCountry("Silk Typhoon"));
        Assert.Equal("RU", ActorRegistry.WeatherCountry("Midnight Blizzard"));
        Assert.Null(ActorRegistry.WeatherCountry("Storm-0558"));
    }

    [Fact]
    public void Shared_names_resolve_to_every_owner_and_are_marked()
    {
        var registry = ActorRegistry.Build(Catalog());

        var thrip = registry.Resolve("THRIP");
        Assert.Equal(["G0030", "G0076"], thrip.Select(a => a.Id).Order(StringComparer.Ordinal));
        Assert.All(thrip, a => Assert.Contains("Thrip", a.SharedAliases));
    }

    [Fact]
    public void An_object_whose_names_point_at_two_groups_stays_apart_for_an_analyst()
    {
        var registry = ActorRegistry.Build(Catalog());

        var ambiguous = Assert.Single(registry.Ambiguous);
        Assert.Equal("misp-galaxy:threat-actor--11111111-1111-4111-8111-111111111111", ambiguous.ObjectId);
        Assert.Equal(["G0059", "G0125"], ambiguous.Candidates);
        var own = registry.ForObject(ambiguous.ObjectId)!;
        Assert.Equal("Confused Panda", own.Name);
        Assert.Equal(own.Id, ambiguous.ObjectId);
        Assert.Equal(5, registry.All.Count);
    }

    [Fact]
    public void Unknown_names_resolve_to_nothing()
    {
        Assert.Empty(ActorRegistry.Build(Catalog()).Resolve("Fancy Bear"));
        Assert.Empty(ActorRegistry.Empty.Resolve("HAFNIUM"));
    }
}
