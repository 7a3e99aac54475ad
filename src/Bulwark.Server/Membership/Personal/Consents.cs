namespace Bulwark.Server.Membership.Personal;

/// <summary>
/// The consents a person gives, one record per account and purpose. The scope names the purpose and the
/// account (<c>purpose:accountId</c>), since a consent record has no account column; the statement is the exact
/// text agreed to, with its version.
/// </summary>
public static class Consents
{
    public const string MonitoringPurpose = "personal-account-monitoring";
    public const string OrganisationViewPurpose = "organisation-may-view";

    public const string MonitoringStatement =
        "personal-account-monitoring/v1: I ask Bulwark to keep the address of this personal email account, encrypted " +
        "with a key of my own, and to check it for attacks by state-backed actors. Bulwark uses it for that alone and " +
        "tells only me what it finds, unless I also let my organisation see it. I can withdraw at any time; " +
        "withdrawing erases the address.";

    public const string OrganisationViewStatement =
        "organisation-may-view/v1: I let the administrators of my organisation see the incidents and notices about " +
        "this personal account. I can withdraw this at any time without stopping the monitoring.";

    public static string Monitoring(Guid accountId) => $"{MonitoringPurpose}:{accountId:D}";

    public static string OrganisationView(Guid accountId) => $"{OrganisationViewPurpose}:{accountId:D}";

    /// <summary>The scopes of every consent about one account.</summary>
    public static string[] About(Guid accountId) => [Monitoring(accountId), OrganisationView(accountId)];
}
