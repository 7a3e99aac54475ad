using Bulwark.LogGen.Logs;
using Bulwark.LogGen.Model;

namespace Bulwark.LogGen.Traffic;

/// <summary>Chooses what happens next on an ordinary day and has the matching scenario write it.</summary>
public sealed class BenignTraffic
{
    private readonly Rng _rng;
    private readonly Organization _org;
    private readonly OutlookTraffic _outlook;
    private readonly MobileTraffic _mobile;
    private readonly ProbeTraffic _probes;
    private readonly EcpTraffic _ecp;
    private readonly OwaTraffic _owa;

    public BenignTraffic(Rng rng, Organization org, ExchangeLogs logs)
    {
        _rng = rng;
        _org = org;
        var requests = new RequestFactory(rng);
        _outlook = new OutlookTraffic(rng, requests, logs);
        _mobile = new MobileTraffic(rng, requests, logs);
        _probes = new ProbeTraffic(rng, requests, logs, org);
        _ecp = new EcpTraffic(rng, requests, logs);
        _owa = new OwaTraffic(rng, requests, logs);
    }

    /// <summary>Writes one event (one request, or a short sequence) at <paramref name="t"/>; returns the time of its last line.</summary>
    public DateTime Emit(DateTime t)
    {
        if (!_rng.Chance(TrafficClock.UserShare(t)))
        {
            return _probes.Emit(t);
        }

        var user = _rng.Pick(_org.Mailboxes);
        var roll = _rng.NextDouble();
        return roll switch
        {
            < 0.46 => _outlook.Emit(t, user),
            < 0.78 when user.Device is not null => _mobile.Emit(t, user, user.Device),
            < 0.78 => _outlook.Emit(t, user),
            < 0.95 => _owa.Emit(t, user),
            _ => _ecp.Emit(t, user, _org.Admin),
        };
    }
}
