namespace Bulwark.Server.Portal.Text;

/// <summary>Names the portal's org strings for <c>IStringLocalizer</c>: English text is the key; OrgText.fr.resx and OrgText.es.resx translate it.</summary>
public sealed class OrgText;
