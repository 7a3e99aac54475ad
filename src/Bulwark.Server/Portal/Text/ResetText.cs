namespace Bulwark.Server.Portal.Text;

/// <summary>Names the password reset page's strings for <c>IStringLocalizer</c>: English text is the key; ResetText.fr.resx and ResetText.es.resx translate it.</summary>
public sealed class ResetText;
