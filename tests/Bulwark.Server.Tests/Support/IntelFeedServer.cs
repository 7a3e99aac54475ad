using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Bulwark.Server.Tests.Support;

/// <summary>
/// A MISP feed over real HTTP: an HttpListener on loopback serving the files of a folder (404 for the others),
/// counting the requests per file so a test can see which events a poll fetched.
/// </summary>
public sealed class IntelFeedServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly string _folder;

    private IntelFeedServer(HttpListener listener, string folder, Uri baseUrl)
    {
        _listener = listener;
        _folder = folder;
        BaseUrl = baseUrl;
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    /// <summary>Requests per file name, since the start.</summary>
    public ConcurrentDictionary<string, int> Requests { get; } = new(StringComparer.Ordinal);

    /// <summary>The <c>Authorization</c> header of the last request, if any.</summary>
    public string? LastAuthorization { get; private set; }

    public static IntelFeedServer Start(string folder)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var prefix = $"http://127.0.0.1:{port}/feeds/cert/";
        var listener = new HttpListener();
        listener.Prefixes.Add(prefix);
        listener.Start();
        return new IntelFeedServer(listener, folder, new Uri(prefix));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_listener.IsListening)
        {
            return;
        }

        _listener.Stop();
        _listener.Close();
        await _loop;
    }

    private async Task ServeAsync()
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
            Requests.AddOrUpdate(name, 1, (_, n) => n + 1);
            LastAuthorization = context.Request.Headers["Authorization"];
            var path = Path.Combine(_folder, name);
            using var response = context.Response;
            if (name.Contains("..", StringComparison.Ordinal) || !File.Exists(path))
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
