namespace Bulwark.Core.Sources.Exchange;

/// <summary>
/// Exchange Control Panel server logs (<c>TimeStamp,ServerName,EventId,EventData</c>). Lines whose columns
/// were stripped or cut still reach detectors: the CVE-2021-27065 rule reads the raw line.
/// </summary>
public sealed class EcpServerFormat : ExchangeCsvFormat
{
    public static readonly EcpServerFormat Instance = new();

    public override LogKind Kind => LogKind.EcpServer;

    protected override string FirstColumn => "TimeStamp";

    protected override bool KeepUnsplittableLines => true;
}
