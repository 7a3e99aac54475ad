using Bulwark.Server.Membership.Domains;
using Bulwark.Server.Membership.People;
using Bulwark.Server.Membership.Personal;
using Bulwark.Server.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Membership;

/// <summary>
/// Membership: domains proved by DNS, invitations and people, and individuals' personal accounts with consent,
/// per-person encryption and erasure. Registered from <c>Extensions/Modules.cs</c>.
/// </summary>
public static class MembershipModule
{
    public static void AddMembership(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MembershipOptions>().BindConfiguration(MembershipOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DnsOptions>().BindConfiguration(DnsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DnsOptions>, DnsOptionsValidator>();

        services.AddSingleton<DomainVerifier>();
        services.AddSingleton<InstanceKeys>();
        services.AddSingleton<PersonalData>();
        services.AddSingleton<PersonTokens>();
        services.AddHostedService<InstanceKeyCheck>();
        services.AddScoped<MembershipMail>();
        services.AddScoped<PersonalVisibility>();
        services.AddScoped<PersonErasure>();
        services.AddScoped<PersonalAccounts>();
        services.AddScoped<InvitationAcceptance>();

        // Person tokens authenticate the /me endpoints only: API-key policies name their own scheme, so a person
        // token never passes them, and this policy accepts nothing but a person token.
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, PersonAccess>(PersonAccess.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(PersonAccess.Policy, p => p
            .AddAuthenticationSchemes(PersonAccess.SchemeName)
            .RequireAuthenticatedUser()
            .RequireClaim(PersonAccess.PersonClaim));
    }

    public static void MapMembershipApi(this RouteGroupBuilder api)
    {
        api.MapDomainsApi();
        api.MapInvitationsApi();
        api.MapPeopleApi();
        api.MapMeApi();
    }
}
