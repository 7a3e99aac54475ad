namespace Bulwark.Server.Portal.Text;

/// <summary>Names the portal's operator strings for <c>IStringLocalizer</c>: English text is the key; OperatorText.fr.resx and OperatorText.es.resx translate it.</summary>
public sealed class OperatorText;
