namespace Bulwark.Server.Notification;

/// <summary>
/// Names the translations of detection titles and remediation texts: the English text (as Bulwark.Core defines it)
/// is the key; DetectionText.fr.resx and DetectionText.es.resx translate it. Read through <see cref="DetectionTexts"/>.
/// </summary>
public sealed class DetectionText;
