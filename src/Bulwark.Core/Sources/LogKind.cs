namespace Bulwark.Core.Sources;

/// <summary>The text log formats Bulwark reads.</summary>
public enum LogKind
{
    /// <summary>Exchange front-end (CAFE) proxy log: <c>V15/Logging/HttpProxy/&lt;Protocol&gt;/</c>.</summary>
    HttpProxy,

    /// <summary>Exchange Control Panel server log: <c>V15/Logging/ECP/Server/</c>.</summary>
    EcpServer,

    /// <summary>Offline address book generator log: <c>V15/Logging/OABGeneratorLog/</c>.</summary>
    OabGenerator,

    /// <summary>IIS W3C extended log: <c>inetpub/logs/LogFiles/W3SVC*/</c>.</summary>
    Iis,
}

public static class LogKindText
{
    public static string ToText(this LogKind kind) => kind switch
    {
        LogKind.HttpProxy => "Exchange HttpProxy",
        LogKind.EcpServer => "Exchange ECP server",
        LogKind.OabGenerator => "Exchange OAB generator",
        LogKind.Iis => "IIS W3C",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
