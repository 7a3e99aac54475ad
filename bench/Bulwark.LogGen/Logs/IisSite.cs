namespace Bulwark.LogGen.Logs;

/// <summary>An IIS web site on the Exchange server: the front end (Default Web Site) or the back end.</summary>
public sealed record IisSite(string Folder, int Port, bool IsBackEnd)
{
    public static readonly IisSite FrontEnd = new("W3SVC1", 443, IsBackEnd: false);
    public static readonly IisSite BackEnd = new("W3SVC2", 444, IsBackEnd: true);
}
