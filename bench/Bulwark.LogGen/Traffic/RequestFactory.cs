using Bulwark.LogGen.Model;

namespace Bulwark.LogGen.Traffic;

/// <summary>Starts requests with a fresh request id from the generator's random stream.</summary>
public sealed class RequestFactory(Rng rng)
{
    public Request New(DateTime t, string? protocol, string method, string host, string stem) => new()
    {
        Time = t,
        RequestId = rng.NextGuid(),
        Protocol = protocol,
        Method = method,
        UrlHost = host,
        UrlStem = stem,
    };

    /// <summary>The anonymous 401 that precedes an NTLM/Negotiate request; the front end answers it alone.</summary>
    public Request Challenge(Request authenticated)
    {
        var r = New(authenticated.Time.AddMilliseconds(-rng.Next(20, 400)), authenticated.Protocol, authenticated.Method,
            authenticated.UrlHost, authenticated.UrlStem);
        r.Query = authenticated.Query;
        r.EncodingToken = authenticated.EncodingToken;
        r.AuthType = authenticated.AuthType;
        return r.From(authenticated.ClientIp, authenticated.UserAgent).Returning(401, 2, 5).Sized(rng.Next(200, 2000), 0, rng.Next(0, 4));
    }
}
