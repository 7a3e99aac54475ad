namespace Bulwark.LogGen.Model;

/// <summary>Client user agents as clients send them (IIS later writes spaces as '+').</summary>
public static class UserAgents
{
    public static readonly string[] OutlookWindows =
    [
        "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.13801; Pro)",
        "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.13628; Pro)",
        "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.4266; Pro)",
        "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.10370; Pro)",
        "Microsoft Office/15.0 (Windows NT 6.1; Microsoft Outlook 15.0.5319; Pro)",
    ];

    public static readonly string[] OutlookMac =
    [
        "MacOutlook/16.46.21021202 (Intelx64 Mac OS X 11.2.1 (Build 20D74))",
        "MacOutlook/16.45.21011103 (Intelx64 Mac OS X 10.15.7 (Build 19H15))",
    ];

    public const string AppleMail = "AppleExchangeWebServices/818.0.1 accountsd/113";

    public static readonly string[] Browsers =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/88.0.4324.190 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/88.0.4324.182 Safari/537.36 Edg/88.0.705.81",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:86.0) Gecko/20100101 Firefox/86.0",
        "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0.3 Safari/605.1.15",
    ];

    /// <summary>ActiveSync clients: (device type, user agent).</summary>
    public static readonly (string Type, string Agent)[] Mobile =
    [
        ("iPhone", "Apple-iPhone12C1/1805.212"),
        ("iPhone", "Apple-iPhone13C2/1804.203"),
        ("iPad", "Apple-iPad7C2/1805.212"),
        ("Outlook", "Outlook-iOS-Android/1.0"),
        ("SAMSUNGSMG991B", "SAMSUNG-SM-G991B/101.10001"),
        ("Android", "Android-Mail/2021.01.17.355318385.release"),
    ];

    /// <summary>Managed Availability probes (Exchange's own health checks).</summary>
    public const string Probe = "AMProbe/Local/ClientAccess";

    public const string EwsProbe = "Ews_AM_Probe/Local (ExchangeServicesClient/15.01.2106.002)";

    public const string WinRm = "Microsoft WinRM Client";
}
