using Bulwark.LogGen.Logs;
using Bulwark.LogGen.Model;
using Bulwark.LogGen.Traffic;

namespace Bulwark.LogGen.Plant;

/// <summary>What every planted scenario writes with, and the window's day-relative times.</summary>
public sealed class PlantContext(ExchangeLogs logs, Manifest manifest, Organization org, Rng rng, DateTime start)
{
    public ExchangeLogs Logs { get; } = logs;

    public Manifest Manifest { get; } = manifest;

    public Organization Org { get; } = org;

    public DateTime Start { get; } = start;

    public RequestFactory Requests { get; } = new(rng);

    public OwaTraffic Owa { get; } = new(rng, new RequestFactory(rng), logs);

    public EcpTraffic Ecp { get; } = new(rng, new RequestFactory(rng), logs);

    /// <summary>Day 0 is the window's first day (2021-03-02).</summary>
    public DateTime At(int day, int hour, int minute, int second, int millisecond = 0) =>
        Start.AddDays(day).AddHours(hour).AddMinutes(minute).AddSeconds(second).AddMilliseconds(millisecond);

    /// <summary>A planted request: logged by the front end only, never by the back-end site.</summary>
    public Request Request(DateTime t, string? protocol, string method, string stem, string ip, string userAgent, int status)
    {
        var r = Requests.New(t, protocol, method, Organization.MailHost, stem).From(ip, userAgent).Returning(status);
        r.InBackEndIis = false;
        return r;
    }
}
