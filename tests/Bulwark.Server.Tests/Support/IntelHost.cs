using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Server.Tests.Support;

/// <summary>
/// The real server on Kestrel (a free loopback port) over <typeparamref name="TServer"/>'s database, with the upload
/// scan worker on and the intel poller's schedule driven by the tests (<c>Intel:PollerEnabled</c> false; they call
/// the worker's round themselves). Polls reach the same server's TAXII role and a local MISP feed over real HTTP,
/// so plain http to loopback is allowed. TAXII pages of two objects make every poll page.
/// </summary>
public sealed class IntelHost<TServer> : IAsyncLifetime
    where TServer : BulwarkServer, new()
{
    public const int TaxiiPageSize = 2;
    public const long MaxUploadBytes = 512 * 1024;

    public TServer Server { get; } = new();

    /// <summary>Where the server listens, e.g. http://127.0.0.1:40123/.</summary>
    public Uri Address { get; private set; } = null!;

    public Uri ApiRoot => new(Address, "/taxii2/bulwark/");

    public Uri Discovery => new(Address, "/taxii2/");

    public async ValueTask InitializeAsync()
    {
        Server.Settings["Intel:Starter"] = "true";
        Server.Settings["Intel:AllowInsecureHttp"] = "true";
        Server.Settings["Intel:PollerEnabled"] = "false";
        Server.Settings["Intel:CheckInterval"] = "01:00:00";
        Server.Settings["Intel:TaxiiPageSize"] = TaxiiPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Server.Settings["Intel:MaxUploadBytes"] = MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Server.Settings["Ingestion:PollInterval"] = "00:00:01";
        Server.UseKestrel(0);
        await Server.InitializeAsync();
        if (Server.Unavailable is not null)
        {
            return;
        }

        Server.StartServer();
        var address = Server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A client over the real listener, with <paramref name="token"/> as bearer key (null: anonymous).</summary>
    public HttpClient As(string? token)
    {
        Server.EnsureAvailable();
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(120) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public HttpClient Operator => As(BulwarkServer.BootstrapToken);
}
