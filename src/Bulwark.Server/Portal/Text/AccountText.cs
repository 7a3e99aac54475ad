namespace Bulwark.Server.Portal.Text;

/// <summary>Names the portal's account strings for <c>IStringLocalizer</c>: English text is the key; AccountText.fr.resx and AccountText.es.resx translate it.</summary>
public sealed class AccountText;
