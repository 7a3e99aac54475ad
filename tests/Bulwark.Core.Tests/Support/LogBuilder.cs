using System.Text;

namespace Bulwark.Core.Tests.Support;

/// <summary>Writes realistic Exchange and IIS log text for tests, row by row, columns by name.</summary>
public static class LogBuilder
{
    public static readonly string[] HttpProxyFields =
        "DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,ErrorCode,Method,ProxyAction,TargetServer,TargetServerVersion,RoutingType,RoutingHint,BackEndCookie,ServerLocatorHost,ServerLocatorLatency,RequestBytes,ResponseBytes,UrlQuery,BackEndGenericInfo,GenericInfo,GenericErrors"
            .Split(',');

    public static readonly string IisFields =
        "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";

    public static string HttpProxyHeader(string version = "15.01.2106.002") =>
        "#Software: Microsoft Exchange Server\n" +
        $"#Version: {version}\n" +
        "#Log-type: HttpProxy Logs\n" +
        "#Date: 2021-03-03T00:00:01.000Z\n" +
        "#Fields: " + string.Join(',', HttpProxyFields) + "\n";

    /// <summary>One HttpProxy row; unnamed columns are empty, values are quoted when RFC 4180 needs it.</summary>
    public static string HttpProxyRow(params (string Name, string Value)[] values)
    {
        var row = new string[HttpProxyFields.Length];
        Array.Fill(row, "");
        foreach (var (name, value) in values)
        {
            var i = Array.IndexOf(HttpProxyFields, name);
            if (i < 0)
            {
                throw new ArgumentException($"unknown HttpProxy field {name}");
            }

            row[i] = value;
        }

        return string.Join(',', row.Select(Quote)) + "\n";
    }

    public static string IisHeader(string fields = "") =>
        "#Software: Microsoft Internet Information Services 10.0\n" +
        "#Version: 1.0\n" +
        "#Date: 2021-03-03 00:00:00\n" +
        "#Fields: " + (fields.Length > 0 ? fields : IisFields) + "\n";

    /// <summary>One IIS line in the default field order.</summary>
    public static string IisLine(string time, string method, string stem, string query, string clientIp, string userAgent, int status, string user = "-") =>
        $"2021-03-03 {time} 10.0.0.5 {method} {stem} {(query.Length == 0 ? "-" : query)} 443 {user} {clientIp} {userAgent.Replace(' ', '+')} - {status} 0 0 15\n";

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}

/// <summary>A temporary directory tree, deleted when disposed.</summary>
public sealed class TempTree : IDisposable
{
    public TempTree()
    {
        Root = Path.Combine(Path.GetTempPath(), "bulwark-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string relativePath, string content) => Write(relativePath, Encoding.UTF8.GetBytes(content));

    public string Write(string relativePath, byte[] content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
