namespace Bulwark.Core.Posture;

/// <summary>The Exchange Server product line a build belongs to; security updates are grouped per product.</summary>
public enum ExchangeProduct
{
    Unknown,
    Exchange2010,
    Exchange2013,
    Exchange2016,
    Exchange2019,
    ExchangeSE,
}
