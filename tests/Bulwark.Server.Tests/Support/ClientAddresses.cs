using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Bulwark.Server.Tests.Support;

/// <summary>
/// Gives each test request a client address, as real clients have: the one in <see cref="Header"/>, or a random
/// one. The in-memory test server has none, so without this every test would share one rate-limit partition.
/// </summary>
public sealed class ClientAddresses : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, following) =>
        {
            context.Connection.RemoteIpAddress = IPAddress.TryParse(context.Request.Headers[Header].ToString(), out var address)
                ? address
                : new IPAddress(RandomNumberGenerator.GetBytes(4));
            return following(context);
        });
        next(app);
    };
}
