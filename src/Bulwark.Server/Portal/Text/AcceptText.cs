namespace Bulwark.Server.Portal.Text;

/// <summary>Names the portal's invitation-acceptance strings for <c>IStringLocalizer</c>: English text is the key; AcceptText.fr.resx and AcceptText.es.resx translate it.</summary>
public sealed class AcceptText;
