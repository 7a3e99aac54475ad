using Bulwark.LogGen.Model;

namespace Bulwark.LogGen.Traffic;

/// <summary>
/// Builds the EventData of an ECP server log <c>ECP.Request</c> line, in the key order of a real
/// <c>ECPServer*.LOG</c> line. A pair whose value holds a single quote is written the way Exchange does:
/// wrapped in single quotes with inner quotes doubled (seen in the helsecert incident lines).
/// </summary>
public static class EcpEvent
{
    public static string Request(Rng rng, string command, string url, Guid user, int timeMs) =>
        $"S:TIME={timeMs};S:SID={rng.NextGuid():D};{Pair("S:CMD=" + command)};S:REQID=;S:URL={url};S:REFERRER=;S:EX=;" +
        $"S:ACTID={rng.NextGuid():D};S:RS=0;S:BLD=15.1.2106.2;S:TNAME=<null>;S:TID=;S:USID={user:D};S:EDOID=;S:ACID=";

    private static string Pair(string pair) =>
        pair.Contains('\'', StringComparison.Ordinal) ? "'" + pair.Replace("'", "''", StringComparison.Ordinal) + "'" : pair;
}
