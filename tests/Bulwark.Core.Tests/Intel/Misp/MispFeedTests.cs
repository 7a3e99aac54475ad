using System.Net;
using System.Net.Sockets;
using Bulwark.Core.Intel.Index;
using Bulwark.Core.Intel.Misp;
using Bulwark.Core.Intel.Model;

namespace Bulwark.Core.Tests.Intel.Misp;

public sealed class MispFeedTests
{
    private const string ProxyLogon = "5cd567a8-ed25-47c2-89e4-a22cf2ab7495";
    private const string DearCry = "7da252ea-e803-4f07-ae70-fe2ca81de1a7";
    private const string Unpublished = "c370cce7-3ba1-49d9-9019-40b983bfcc7b";

    private static readonly string Folder = MispFixtures.PathOf("feed");

    private static IntelSource Source => new("example-cert-feed", IntelFormat.MispFeed);

    [Fact]
    public async Task Folder_feed_sync_reads_every_listed_event_and_reports_the_missing_one()
    {
        var catalog = new IntelCatalog();
        var feed = MispFeed.FromDirectory(Folder);

        var sync = await feed.SyncAsync(catalog, Source, null, TestContext.Current.CancellationToken);

        AssertFirstSync(sync, catalog, name => Path.Combine(Folder, name));
    }

    [Fact]
    public async Task Url_feed_is_read_by_the_same_code_over_real_http()
    {
        await using var server = await FeedServer.StartAsync(Folder, TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        var catalog = new IntelCatalog();
        var feed = MispFeed.FromUrl(http, server.BaseUrl);

        var sync = await feed.SyncAsync(catalog, Source, null, TestContext.Current.CancellationToken);

        AssertFirstSync(sync, catalog, name => server.BaseUrl.AbsoluteUri + name);
        Assert.Equal(server.BaseUrl.AbsoluteUri, feed.Location);
    }

    [Fact]
    public async Task Next_sync_fetches_only_changed_events_retries_failed_ones_and_drops_removed_ones()
    {
        var feed = MispFeed.FromDirectory(Folder);
        var ct = TestContext.Current.CancellationToken;
        var first = await feed.SyncAsync(new IntelCatalog(), Source, null, ct);

        var second = await feed.SyncAsync(new IntelCatalog(), Source, first.Checkpoint, ct);

        Assert.Equal([Unpublished], second.Changed);
        Assert.Equal([Unpublished], second.Failed);
        Assert.Equal(0, second.Result.Events);
        Assert.Equal(first.Checkpoint, second.Checkpoint);

        var stale = new Dictionary<string, long>
        {
            [ProxyLogon] = 1615000000,
            [DearCry] = 1615000000,
            ["ab2c948e-7bc6-456b-8878-3447cf9c5008"] = 1614000000,
        };
        var third = await feed.SyncAsync(new IntelCatalog(), Source, stale, ct);

        Assert.Equal([DearCry, Unpublished], third.Changed);
        Assert.Equal(["ab2c948e-7bc6-456b-8878-3447cf9c5008"], third.Removed);
        Assert.Equal(1, third.Result.Events);
        Assert.Equal(new Dictionary<string, long> { [ProxyLogon] = 1615000000, [DearCry] = 1615550000 }, third.Checkpoint);
    }

    [Fact]
    public async Task Hashes_csv_answers_might_contain_and_reports_malformed_lines()
    {
        var hashes = await MispFeed.FromDirectory(Folder).ReadHashesAsync(null, TestContext.Current.CancellationToken);
        var file = Path.Combine(Folder, "hashes.csv");

        Assert.Equal(8, hashes.Count);
        Assert.Equal(
            [
                $"{file}: line 4: expected '<md5 of a value>,<event uuid>', found 'not-a-hash,5cd567a8-ed25-47c2-89e4-a22cf2ab7495'",
                $"{file}: line 6: expected '<md5 of a value>,<event uuid>', found 'd41d8cd98f00b204e9800998ecf8427e'",
                $"{file}: line 12: expected '<md5 of a value>,<event uuid>', found '0cc175b9c0f1b6a831c399e269772661,not-a-uuid'",
            ],
            hashes.Problems.Select(p => p.ToString()));
        Assert.True(hashes.MightContain("185.250.151.72"));
        Assert.True(hashes.MightContain(@"C:\Program Files\Microsoft\Exchange Server\V15\FrontEnd\HttpProxy\owa\auth\OutlookZH.aspx"));
        Assert.True(hashes.MightContain("OWA-UPDATE.example"));
        Assert.True(hashes.MightContain("a"));
        Assert.False(hashes.MightContain("8.8.8.8"));
        Assert.False(hashes.MightContain(""));
    }

    [Fact]
    public async Task A_feed_without_hashes_csv_gives_an_empty_set_and_a_problem()
    {
        var empty = Directory.CreateTempSubdirectory("misp-feed-");
        try
        {
            var hashes = await MispFeed.FromDirectory(empty.FullName).ReadHashesAsync(null, TestContext.Current.CancellationToken);

            Assert.Equal(0, hashes.Count);
            Assert.Equal([$"{Path.Combine(empty.FullName, "hashes.csv")}: hashes.csv is missing"], hashes.Problems.Select(p => p.ToString()));
            Assert.False(hashes.MightContain("185.250.151.72"));
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_unreadable_manifest_reads_nothing_and_keeps_the_checkpoint()
    {
        var broken = Directory.CreateTempSubdirectory("misp-feed-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(broken.FullName, "manifest.json"), "{\n  \"5cd567a8-ed25-47c2-89e4-a22cf2ab7495\": {\"timestamp\": 1615000000, \"info\": \"ProxyLo", TestContext.Current.CancellationToken);
            var checkpoint = new Dictionary<string, long> { [ProxyLogon] = 1615000000 };

            var sync = await MispFeed.FromDirectory(broken.FullName).SyncAsync(new IntelCatalog(), Source, checkpoint, TestContext.Current.CancellationToken);

            Assert.Equal(
                [$"{Path.Combine(broken.FullName, "manifest.json")}: line 2, byte 85: invalid JSON: Expected end of string, but instead reached end of data; the manifest was not read, so no event was"],
                sync.Result.Problems.Select(p => p.ToString()));
            Assert.Empty(sync.Changed);
            Assert.Empty(sync.Removed);
            Assert.Equal(checkpoint, sync.Checkpoint);
        }
        finally
        {
            broken.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_server_error_on_one_event_is_a_problem_and_the_others_are_read()
    {
        await using var server = await FeedServer.StartAsync(Folder, TestContext.Current.CancellationToken, failing: $"{DearCry}.json");
        using var http = new HttpClient();

        var sync = await MispFeed.FromUrl(http, server.BaseUrl).SyncAsync(new IntelCatalog(), Source, null, TestContext.Current.CancellationToken);

        Assert.Equal([DearCry, Unpublished], sync.Failed);
        Assert.Contains(
            $"{server.BaseUrl.AbsoluteUri}{DearCry}.json: listed in manifest.json but {DearCry}.json could not be read: {server.BaseUrl.AbsoluteUri}{DearCry}.json answered 500 Internal Server Error; the other events were still read",
            sync.Result.Problems.Select(p => p.ToString()));
        Assert.Equal(1, sync.Result.Events);
    }

    [Fact]
    public void Manifest_entries_carry_what_the_feed_says_of_each_event()
    {
        using var json = File.OpenRead(Path.Combine(Folder, "manifest.json"));

        var manifest = MispFeed.ReadManifest(json, "manifest.json");

        Assert.Equal(["manifest.json: ../../secrets/manifest: '../../secrets/manifest' is not an event uuid; the entry was not read"], manifest.Problems.Select(p => p.ToString()));
        var dearCry = manifest.Events[DearCry];
        Assert.Equal(1615550000, dearCry.Timestamp);
        Assert.Equal("DearCry ransomware deployed through unpatched Exchange servers", dearCry.Info);
        Assert.Equal(new DateTimeOffset(2021, 3, 12, 0, 0, 0, TimeSpan.Zero), dearCry.Date);
        Assert.Equal("Example National CERT", dearCry.Organisation);
        Assert.Equal(["tlp:green"], dearCry.Tags);
        Assert.Equal(2, dearCry.ThreatLevel);
    }

    private static void AssertFirstSync(MispFeedSync sync, IntelCatalog catalog, Func<string, string> pathOf)
    {
        Assert.Equal([ProxyLogon, DearCry, Unpublished], sync.Manifest.Events.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([ProxyLogon, DearCry, Unpublished], sync.Changed);
        Assert.Equal([Unpublished], sync.Failed);
        Assert.Empty(sync.Removed);
        Assert.Equal(new Dictionary<string, long> { [ProxyLogon] = 1615000000, [DearCry] = 1615550000 }, sync.Checkpoint);
        Assert.Equal(
            [
                $"{pathOf("manifest.json")}: ../../secrets/manifest: '../../secrets/manifest' is not an event uuid; the entry was not read",
                $"{pathOf(Unpublished + ".json")}: listed in manifest.json but {Unpublished}.json is missing; the other events were still read",
            ],
            sync.Result.Problems.Select(p => p.ToString()));
        Assert.Equal((2, 5, 1, 3, 3), (sync.Result.Events, sync.Result.Indicators, sync.Result.NotForDetection, sync.Result.Objects, sync.Result.Relationships));
        Assert.Equal(Tlp.Clear, catalog.GetIndicator("misp-attribute--89043460-e2b9-4034-a7dd-779f8365376a")!.Tlp);
        Assert.Equal(Tlp.Green, catalog.GetIndicator("misp-attribute--f388af8a-15b7-4d92-b333-5de713f2a7f2")!.Tlp);
        Assert.Equal("example-cert-feed", catalog.GetIndicator("misp-attribute--f388af8a-15b7-4d92-b333-5de713f2a7f2")!.Values[0].Source);
        Assert.Equal(
            ["misp-attribute--123e9164-6f20-49aa-925b-a592ff4a8b4c", "misp-attribute--89043460-e2b9-4034-a7dd-779f8365376a", "misp-attribute--c4c3c2a8-5b0e-4f0e-a9a9-0c1f0e9b8a71"],
            catalog.Relationships.Where(r => r.TargetRef == "misp-galaxy:threat-actor=\"HAFNIUM\"").Select(r => r.SourceRef).Order(StringComparer.Ordinal));
    }

    /// <summary>A real HTTP server (HttpListener on loopback) serving the fixture feed folder; 404 for files it lacks.</summary>
    private sealed class FeedServer : IAsyncDisposable
    {
        private readonly HttpListener _listener;
        private readonly Task _loop;

        private FeedServer(HttpListener listener, string folder, string? failing)
        {
            _listener = listener;
            _loop = Task.Run(() => ServeAsync(folder, failing));
        }

        public required Uri BaseUrl { get; init; }

        public static Task<FeedServer> StartAsync(string folder, CancellationToken cancellationToken, string? failing = null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var prefix = $"http://127.0.0.1:{port}/feeds/example-cert/";
            var listener = new HttpListener();
            listener.Prefixes.Add(prefix);
            listener.Start();
            return Task.FromResult(new FeedServer(listener, folder, failing) { BaseUrl = new Uri(prefix) });
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _loop;
        }

        private async Task ServeAsync(string folder, string? failing)
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                var name = context.Request.Url!.Segments[^1];
                var path = Path.Combine(folder, name);
                using var response = context.Response;
                if (name == failing)
                {
                    response.StatusCode = 500;
                    continue;
                }

                if (!File.Exists(path))
                {
                    response.StatusCode = 404;
                    continue;
                }

                var body = await File.ReadAllBytesAsync(path);
                response.ContentType = name.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv" : "application/json";
                response.ContentLength64 = body.Length;
                await response.OutputStream.WriteAsync(body);
            }
        }
    }
}
