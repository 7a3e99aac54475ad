namespace Bulwark.Server.Portal.Text;

/// <summary>Names the portal's me strings for <c>IStringLocalizer</c>: English text is the key; MeText.fr.resx and MeText.es.resx translate it.</summary>
public sealed class MeText;
