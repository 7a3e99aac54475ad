using Bulwark.Data;
using Bulwark.Server.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Portal.Tests.Support;

/// <summary>
/// The real server on a real Kestrel listener (a free loopback port) over SQLite in a fresh data directory,
/// reached by the browser as <c>http://localhost:port</c>: passkeys need a host name, WebAuthn refuses an IP
/// address as relying party. One headless Chromium serves every test of the collection.
/// </summary>
public sealed class PortalHost : BulwarkServer
{
    private Chromium? _chromium;

    public PortalHost() => UseKestrel(0);

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    /// <summary>The portal's address as a browser uses it.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public Chromium Chromium => _chromium ?? throw new InvalidOperationException("the host is not initialised");

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new UriBuilder(address) { Host = "localhost" }.Uri;
        _chromium = await Chromium.StartAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalHost>
{
    public const string Name = "portal in Chromium";
}
