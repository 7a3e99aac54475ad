using Bulwark.LogGen.Model;
using Bulwark.LogGen.Output;

namespace Bulwark.LogGen.Logs;

/// <summary>Every log the generator writes, addressed by what happened rather than by file.</summary>
public sealed class ExchangeLogs : IDisposable
{
    private readonly Dictionary<string, HttpProxyLog> _proxy;
    private readonly IisLog _frontEnd;
    private readonly IisLog _backEnd;
    private readonly DailyExchangeLog _ecp;
    private readonly DailyExchangeLog _oab;
    private readonly LineBuffer _buffer = new();

    public ExchangeLogs(OutputTree tree)
    {
        var style = new HeaderStyle();
        _proxy = HttpProxyFields.Protocols.ToDictionary(p => p, p => new HttpProxyLog(tree, p, style), StringComparer.Ordinal);
        _frontEnd = new IisLog(tree, IisSite.FrontEnd);
        _backEnd = new IisLog(tree, IisSite.BackEnd);
        _ecp = DailyExchangeLog.EcpServer(tree);
        _oab = DailyExchangeLog.OabGenerator(tree);
    }

    public RequestLines Write(Request r)
    {
        LineLocation? proxy = r.Protocol is null ? null : _proxy[r.Protocol].Write(r, _buffer);
        LineLocation? frontEnd = r.InFrontEndIis ? _frontEnd.Write(r, _buffer) : null;
        LineLocation? backEnd = r.BackEndStem is not null && r.InFrontEndIis && r.InBackEndIis ? _backEnd.Write(r, _buffer) : null;
        return new RequestLines(proxy, frontEnd, backEnd);
    }

    public LineLocation WriteEcpServer(DateTime t, string eventData) => _ecp.Write(t, "ECP.Request", eventData, _buffer);

    public LineLocation WriteOabGenerator(DateTime t, string eventId, string eventData) =>
        _oab.Write(t, eventId, eventData, _buffer);

    public void RestartFrontEndIis(DateTime t, bool logCookie) => _frontEnd.Restart(t, logCookie, _buffer);

    public void Dispose()
    {
        foreach (var log in _proxy.Values)
        {
            log.Dispose();
        }

        _frontEnd.Dispose();
        _backEnd.Dispose();
        _ecp.Dispose();
        _oab.Dispose();
    }
}
