using Bulwark.LogGen.Model;
using Bulwark.LogGen.Output;

namespace Bulwark.LogGen.Logs;

/// <summary>
/// An Exchange diagnostic log with the <c>TimeStamp,ServerName,EventId,EventData</c> layout and one file per
/// UTC day (<c>&lt;prefix&gt;yyyyMMdd-1.LOG</c>): the ECP server log, and the OAB generator log, whose real
/// layout no public source shows (see samples/README.md).
/// </summary>
public sealed class DailyExchangeLog : IDisposable
{
    private readonly OutputTree _tree;
    private readonly string _folder;
    private readonly string _prefix;
    private readonly string _logType;
    private readonly string _version;
    private LogFile? _file;
    private DateTime _day;

    private DailyExchangeLog(OutputTree tree, string folder, string prefix, string logType, string version)
    {
        _tree = tree;
        _folder = folder;
        _prefix = prefix;
        _logType = logType;
        _version = version;
    }

    public static DailyExchangeLog EcpServer(OutputTree tree) =>
        new(tree, "Program Files/Microsoft/Exchange Server/V15/Logging/ECP/Server/", "ECPServer", "ECP Server Log", "15.0.0.0");

    public static DailyExchangeLog OabGenerator(OutputTree tree) =>
        new(tree, "Program Files/Microsoft/Exchange Server/V15/Logging/OABGeneratorLog/", "OABGeneratorLog_", "OAB Generator Log",
            Organization.BuildHeader);

    public LineLocation Write(DateTime t, string eventId, string eventData, LineBuffer b)
    {
        EnsureFile(t, b);
        b.Clear().AppendIsoTime(t).Append(',').Append(Organization.ServerName).Append(',').Append(eventId).Append(',')
            .AppendCsv(eventData);
        return new LineLocation(_file!.RelativePath, _file.WriteLine(b));
    }

    public void Dispose() => _file?.Dispose();

    private void EnsureFile(DateTime t, LineBuffer b)
    {
        if (_file is not null && t.Date <= _day)
        {
            return;
        }

        _day = t.Date;
        _file?.Dispose();
        _file = _tree.Create($"{_folder}{_prefix}{_day:yyyyMMdd}-1.LOG");
        _file.WriteLine("#Software: Microsoft Exchange Server");
        _file.WriteLine("#Version: " + _version);
        _file.WriteLine("#Log-type: " + _logType);
        _file.WriteLine(b.Clear().Append("#Date: ").AppendIsoTime(t));
        _file.WriteLine("#Fields: TimeStamp,ServerName,EventId,EventData");
    }
}
