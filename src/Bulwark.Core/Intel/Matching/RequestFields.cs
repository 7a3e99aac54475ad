namespace Bulwark.Core.Intel.Matching;

/// <summary>The columns of a web log that intelligence is matched on, by format.</summary>
internal static class RequestFields
{
    public const int ClientIp = 0;
    public const int UserAgent = 1;
    public const int UriStem = 2;
    public const int User = 3;
    public const int Referer = 4;
    public const int Count = 5;

    public static readonly string[] Iis = ["c-ip", "cs(User-Agent)", "cs-uri-stem", "cs-username", "cs(Referer)"];

    public static readonly string[] HttpProxy = ["ClientIpAddress", "UserAgent", "UrlStem", "AuthenticatedUser", "Referer"];
}
