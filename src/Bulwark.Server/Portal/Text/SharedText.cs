namespace Bulwark.Server.Portal.Text;

/// <summary>Names the portal's shared strings for <c>IStringLocalizer</c>: English text is the key; SharedText.fr.resx and SharedText.es.resx translate it.</summary>
public sealed class SharedText;
