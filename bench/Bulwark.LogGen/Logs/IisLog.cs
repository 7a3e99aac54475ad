using Bulwark.LogGen.Model;
using Bulwark.LogGen.Output;

namespace Bulwark.LogGen.Logs;

/// <summary>
/// The W3C log of one IIS site: one <c>u_exYYMMDD.log</c> per UTC day. After <see cref="Restart"/> with
/// cookie logging on, IIS writes a new directive block mid-file whose field list adds <c>cs(Cookie)</c>.
/// </summary>
public sealed class IisLog : IDisposable
{
    private const string Folder = "inetpub/logs/LogFiles/";
    private const string FieldsBefore =
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) ";
    private const string FieldsAfter = "cs(Referer) sc-status sc-substatus sc-win32-status time-taken";

    private readonly OutputTree _tree;
    private readonly IisSite _site;
    private LogFile? _file;
    private DateTime _day;
    private bool _logCookie;

    public IisLog(OutputTree tree, IisSite site)
    {
        _tree = tree;
        _site = site;
    }

    public LineLocation Write(Request r, LineBuffer b)
    {
        EnsureFile(r.Time, b);
        Format(r, r.Time, b);
        return new LineLocation(_file!.RelativePath, _file.WriteLine(b));
    }

    /// <summary>The site restarts (e.g. after a logging change) and writes a fresh directive block.</summary>
    public void Restart(DateTime t, bool logCookie, LineBuffer b)
    {
        EnsureFile(t, b);
        _logCookie = logCookie;
        WriteDirectives(t, b);
    }

    public void Dispose() => _file?.Dispose();

    private void Format(Request r, DateTime time, LineBuffer b)
    {
        b.Clear().AppendW3cDate(time).Append(' ').AppendClock(time).Append(' ').Append(ServerIp(r)).Append(' ')
            .Append(r.Method).Append(' ').Append(_site.IsBackEnd ? r.BackEndStem : r.UrlStem).Append(' ');
        AppendQuery(r, b);
        b.Append(' ').Append(_site.Port).Append(' ').AppendW3c(r.IisUser).Append(' ')
            .Append(_site.IsBackEnd ? Organization.ServerIp : r.ClientIp).Append(' ').AppendW3c(r.UserAgent).Append(' ');
        if (_logCookie)
        {
            b.AppendW3c(r.Cookie).Append(' ');
        }

        b.AppendW3c(_site.IsBackEnd ? null : r.Referer).Append(' ').Append(r.Status).Append(' ').Append(r.SubStatus)
            .Append(' ').Append(r.Win32Status).Append(' ').Append(_site.IsBackEnd ? r.LatencyMs * 7 / 8 : r.LatencyMs);
    }

    /// <summary>Managed Availability probes connect to the server itself over IPv6 loopback.</summary>
    private string ServerIp(Request r) => r.ClientIp == "::1" && !_site.IsBackEnd ? "::1" : Organization.ServerIp;

    private static void AppendQuery(Request r, LineBuffer b)
    {
        if (!r.ExchangeTokens)
        {
            b.AppendW3c(r.Query);
            return;
        }

        b.Append(r.Query).Append("&CorrelationID=<empty>;&cafeReqId=").Append(r.RequestId).Append(';');
        if (r.EncodingToken)
        {
            b.Append("&encoding=;");
        }
    }

    private void EnsureFile(DateTime t, LineBuffer b)
    {
        var day = t.Date;
        if (_file is not null && day <= _day)
        {
            return;
        }

        _day = day;
        _file?.Dispose();
        _file = _tree.Create($"{Folder}{_site.Folder}/u_ex{day:yyMMdd}.log");
        WriteDirectives(t, b);
    }

    private void WriteDirectives(DateTime t, LineBuffer b)
    {
        _file!.WriteLine("#Software: Microsoft Internet Information Services 10.0");
        _file.WriteLine("#Version: 1.0");
        _file.WriteLine(b.Clear().Append("#Date: ").AppendW3cDate(t).Append(' ').AppendClock(t));
        _file.WriteLine(_logCookie ? FieldsBefore + "cs(Cookie) " + FieldsAfter : FieldsBefore + FieldsAfter);
    }
}
