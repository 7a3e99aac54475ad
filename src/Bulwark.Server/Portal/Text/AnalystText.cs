namespace Bulwark.Server.Portal.Text;

/// <summary>Names the portal's analyst strings for <c>IStringLocalizer</c>: English text is the key; AnalystText.fr.resx and AnalystText.es.resx translate it.</summary>
public sealed class AnalystText;
