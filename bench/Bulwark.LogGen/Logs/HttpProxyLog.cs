using Bulwark.LogGen.Model;
using Bulwark.LogGen.Output;

namespace Bulwark.LogGen.Logs;

/// <summary>
/// The HttpProxy log folder of one protocol: a new <c>HttpProxy_yyyyMMddHH-n.LOG</c> each hour, and a
/// further <c>-n</c> when a file passes 10 MB. Most files open with the <c>#</c> directive block; some
/// carry only a bare header row, as collected logs sometimes do.
/// </summary>
public sealed class HttpProxyLog : IDisposable
{
    private const long MaxFileBytes = 10L * 1024 * 1024;
    private const string Folder = "Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/";

    private readonly OutputTree _tree;
    private readonly string _protocol;
    private readonly HeaderStyle _style;
    private LogFile? _file;
    private DateTime _hour;
    private int _sequence;

    public HttpProxyLog(OutputTree tree, string protocol, HeaderStyle style)
    {
        _tree = tree;
        _protocol = protocol;
        _style = style;
    }

    public LineLocation Write(Request r, LineBuffer buffer)
    {
        EnsureFile(r.Time, buffer);
        HttpProxyRow.Format(r, buffer);
        return new LineLocation(_file!.RelativePath, _file.WriteLine(buffer));
    }

    public void Dispose() => _file?.Dispose();

    private void EnsureFile(DateTime t, LineBuffer buffer)
    {
        var hour = new DateTime(t.Year, t.Month, t.Day, t.Hour, 0, 0, DateTimeKind.Utc);
        var newHour = _file is null || hour > _hour;
        if (!newHour && _file!.Bytes < MaxFileBytes)
        {
            return;
        }

        if (newHour)
        {
            _hour = hour;
            _sequence = 0;
        }

        _file?.Dispose();
        _file = _tree.Create($"{Folder}{_protocol}/HttpProxy_{_hour:yyyyMMddHH}-{++_sequence}.LOG");
        WriteHeader(t, buffer);
    }

    private void WriteHeader(DateTime firstRow, LineBuffer b)
    {
        if (_style.NextIsBare())
        {
            _file!.WriteLine(HttpProxyFields.Header);
            return;
        }

        _file!.WriteLine("#Software: Microsoft Exchange Server");
        _file.WriteLine("#Version: " + Organization.BuildHeader);
        _file.WriteLine("#Log-type: HttpProxy Logs");
        _file.WriteLine(b.Clear().Append("#Date: ").AppendIsoTime(firstRow));
        _file.WriteLine("#Fields: " + HttpProxyFields.Header);
    }
}
