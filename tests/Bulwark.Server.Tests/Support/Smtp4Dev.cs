using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using MimeKit;

namespace Bulwark.Server.Tests.Support;

/// <summary>
/// A real SMTP server: smtp4dev (the <c>rnwood.smtp4dev</c> tool in <c>.config/dotnet-tools.json</c>; restore it with
/// <c>dotnet tool restore</c>) started on free loopback ports with an in-memory store. Received messages are read
/// back whole through its HTTP API.
/// </summary>
public sealed class Smtp4Dev : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _configDirectory;
    private readonly Queue<string> _output;

    private Smtp4Dev(Process process, string configDirectory, Queue<string> output, int smtpPort, Uri api)
    {
        _process = process;
        _configDirectory = configDirectory;
        _output = output;
        SmtpPort = smtpPort;
        Http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
    }

    public int SmtpPort { get; }

    public HttpClient Http { get; }

    public static async Task<Smtp4Dev> StartAsync(CancellationToken ct)
    {
        var smtpPort = FreePort();
        var httpPort = FreePort();
        var config = Path.Combine(Path.GetTempPath(), "bulwark-smtp4dev-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(config);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "smtp4dev",
            $"--smtpport={smtpPort}",
            $"--urls=http://127.0.0.1:{httpPort}",
            "--bindaddress=127.0.0.1",
            "--db=",
            "--imapport=",
            "--pop3port=",
            "--nousersettings",
            "--messagestokeep=5000",
            "--hostname=localhost",
        })
        {
            start.ArgumentList.Add(argument);
        }

        // smtp4dev keeps its settings under XDG_CONFIG_HOME: a private one per run.
        start.Environment["XDG_CONFIG_HOME"] = config;
        var output = new Queue<string>();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException("could not start `dotnet smtp4dev`");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new Smtp4Dev(process, config, output, smtpPort, new Uri($"http://127.0.0.1:{httpPort}/"));
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException(
                    $"smtp4dev exited with code {process.ExitCode} (run `dotnet tool restore` in the repository first):\n{server.Output}");
            }

            try
            {
                using var probe = await server.Http.GetAsync("api/messages", ct);
                if (probe.IsSuccessStatusCode && await SmtpAnswersAsync(smtpPort, ct))
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(120))
            {
                await server.DisposeAsync();
                throw new TimeoutException($"smtp4dev did not answer within 120 s:\n{server.Output}");
            }

            await Task.Delay(250, ct);
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Every message received for <paramref name="address"/>, oldest first, parsed from the bytes smtp4dev got.</summary>
    public async Task<List<Received>> MessagesToAsync(string address, CancellationToken ct)
    {
        using var page = await Http.GetFromJsonAsync<JsonDocument>("api/messages?pageSize=5000", ct)
            ?? throw new InvalidOperationException("smtp4dev returned no message list");
        var found = new List<Received>();
        foreach (var summary in page.RootElement.GetProperty("results").EnumerateArray())
        {
            var to = summary.GetProperty("to").EnumerateArray().Select(t => t.GetString() ?? "");
            if (!to.Any(t => t.Contains(address, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var id = summary.GetProperty("id").GetString()!;
            var raw = await Http.GetByteArrayAsync($"api/messages/{id}/raw", ct);
            using var stream = new MemoryStream(raw);
            var message = await MimeMessage.LoadAsync(stream, ct);
            found.Add(new Received(
                id,
                summary.GetProperty("receivedDate").GetDateTimeOffset(),
                summary.GetProperty("attachmentCount").GetInt32(),
                raw,
                message));
        }

        return found.OrderBy(m => m.ReceivedAt).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                // `dotnet smtp4dev` runs the server as a child process: end the whole tree.
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_configDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public sealed record Received(string Id, DateTimeOffset ReceivedAt, int AttachmentCount, byte[] Raw, MimeMessage Message);

    private static void Keep(Queue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Enqueue(line);
            while (output.Count > 200)
            {
                output.Dequeue();
            }
        }
    }

    private static async Task<bool> SmtpAnswersAsync(int port, CancellationToken ct)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, ct);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The folder whose tool manifest names smtp4dev: above the test binaries, or above this source file.</summary>
    private static string RepositoryRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile), Environment.CurrentDirectory })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var manifest = Path.Combine(dir.FullName, ".config", "dotnet-tools.json");
                if (File.Exists(manifest) && File.ReadAllText(manifest).Contains("rnwood.smtp4dev", StringComparison.OrdinalIgnoreCase))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("no .config/dotnet-tools.json naming rnwood.smtp4dev above the tests");
    }
}
