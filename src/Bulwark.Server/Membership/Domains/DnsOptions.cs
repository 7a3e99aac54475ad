using System.Net;
using Microsoft.Extensions.Options;

namespace Bulwark.Server.Membership.Domains;

/// <summary>Configuration section <c>Dns</c>: the resolvers that domain verification asks.</summary>
public sealed class DnsOptions
{
    public const string Section = "Dns";

    /// <summary>Resolvers as <c>address[:port]</c> (IPv6 in brackets, e.g. <c>[2001:db8::53]:53</c>); empty uses the system's.</summary>
    public List<string> Servers { get; set; } = [];

    /// <summary>How long to wait for one answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Further tries after a timeout.</summary>
    public int Retries { get; set; } = 2;

    public IReadOnlyList<IPEndPoint> EndPoints() => [.. Servers.Select(s => TryParse(s, out var ep) ? ep : throw new InvalidOperationException($"{Section}:Servers: '{s}' is not address[:port]"))];

    internal static bool TryParse(string value, out IPEndPoint endPoint)
    {
        if (IPEndPoint.TryParse(value.Trim(), out var parsed) && parsed.Port is >= 0 and <= 65535)
        {
            endPoint = parsed.Port == 0 ? new IPEndPoint(parsed.Address, 53) : parsed;
            return true;
        }

        endPoint = null!;
        return false;
    }
}

/// <summary>Checks <see cref="DnsOptions"/> at start, naming the key and the bad value.</summary>
public sealed class DnsOptionsValidator : IValidateOptions<DnsOptions>
{
    public ValidateOptionsResult Validate(string? name, DnsOptions options)
    {
        var problems = new List<string>();
        for (var i = 0; i < options.Servers.Count; i++)
        {
            if (!DnsOptions.TryParse(options.Servers[i] ?? "", out _))
            {
                problems.Add($"{DnsOptions.Section}:Servers:{i} must be an IP address with an optional port, e.g. 127.0.0.1:53 or [::1]:5353 (is '{options.Servers[i]}')");
            }
        }

        if (options.Timeout < TimeSpan.FromMilliseconds(100) || options.Timeout > TimeSpan.FromMinutes(1))
        {
            problems.Add($"{DnsOptions.Section}:Timeout must be between 00:00:00.1 and 00:01:00 (is {options.Timeout})");
        }

        if (options.Retries is < 0 or > 5)
        {
            problems.Add($"{DnsOptions.Section}:Retries must be between 0 and 5 (is {options.Retries})");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
