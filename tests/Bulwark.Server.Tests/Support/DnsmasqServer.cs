using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace Bulwark.Server.Tests.Support;

/// <summary>
/// A real DNS server for the domain-verification tests: Debian's dnsmasq on a free loopback port, answering
/// only from the records the test gives it (no upstream, no /etc/hosts). Every name under <c>.test</c> it does not
/// know is NXDOMAIN. dnsmasq reads records at start, so changing them restarts it on the same port. When dnsmasq
/// is missing it is installed with <c>build/dnsmasq.sh</c> (as root); only where that is impossible, and never on
/// CI, do the DNS tests skip.
/// </summary>
public sealed class DnsmasqServer : IDisposable
{
    public const string Zone = "test";

    // Fixtures start in parallel: install (apt) once for the whole test run.
    private static readonly Lazy<(string? Path, string Reason)> Binary = new(() => (FindOrInstall(out var reason), reason));

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<string[]>> _txt = new(StringComparer.Ordinal);
    private readonly HashSet<string> _hosts = new(StringComparer.Ordinal);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "bulwark-dnsmasq-" + Guid.NewGuid().ToString("N"));
    private Process? _process;
    private string? _binary;

    public int Port { get; private set; }

    /// <summary>Why there is no DNS server here, or null.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The resolver as the server's <c>Dns:Servers</c> setting takes it.</summary>
    public string EndPoint => $"127.0.0.1:{Port}";

    public async Task StartAsync()
    {
        (_binary, var reason) = Binary.Value;
        if (_binary is null)
        {
            Unavailable = reason;
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException("CI must run the DNS tests: " + reason);
            }

            return;
        }

        Directory.CreateDirectory(_directory);
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort();
            try
            {
                await RestartAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                // Another process took the port between the probe and dnsmasq's bind: pick another.
            }
        }
    }

    public void EnsureAvailable()
    {
        if (Unavailable is { } reason)
        {
            Assert.Skip(reason);
        }
    }

    /// <summary>Publishes a TXT record (one or more strings, as a long value is split on the wire).</summary>
    public Task AddTxtAsync(string name, params string[] strings)
    {
        lock (_lock)
        {
            if (!_txt.TryGetValue(name, out var records))
            {
                _txt[name] = records = [];
            }

            records.Add(strings);
        }

        return RestartAsync();
    }

    /// <summary>Makes the name exist (an A record) without any TXT record.</summary>
    public Task AddHostAsync(string name)
    {
        lock (_lock)
        {
            _hosts.Add(name);
        }

        return RestartAsync();
    }

    /// <summary>Stops answering (SIGSTOP) until <see cref="Resume"/>: queries then time out.</summary>
    public void Pause() => Signal("STOP");

    public void Resume() => Signal("CONT");

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task RestartAsync()
    {
        Stop();
        var conf = Path.Combine(_directory, "dnsmasq.conf");
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"port={Port}");
        text.AppendLine("listen-address=127.0.0.1");
        text.AppendLine("bind-interfaces");
        text.AppendLine("no-resolv");
        text.AppendLine("no-hosts");
        text.AppendLine("pid-file=");
        text.AppendLine(CultureInfo.InvariantCulture, $"local=/{Zone}/");
        lock (_lock)
        {
            foreach (var (name, records) in _txt)
            {
                foreach (var strings in records)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"txt-record={name},{string.Join(',', strings.Select(s => $"\"{s}\""))}");
                }
            }

            foreach (var host in _hosts)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"host-record={host},192.0.2.1");
            }
        }

        await File.WriteAllTextAsync(conf, text.ToString());
        var start = new ProcessStartInfo(_binary!)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--keep-in-foreground");
        start.ArgumentList.Add($"--conf-file={conf}");
        start.ArgumentList.Add("--log-facility=-");
        var output = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dnsmasq");
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;

        // Ready when it answers a query (NXDOMAIN for a name it does not know is an answer).
        var deadline = Stopwatch.StartNew();
        while (!await AnswersAsync())
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                Stop();
                lock (output)
                {
                    throw new InvalidOperationException($"dnsmasq did not start on port {Port}: {output}");
                }
            }

            await Task.Delay(20);
        }
    }

    private async Task<bool> AnswersAsync()
    {
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        byte[] query = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 5, (byte)'p', (byte)'r', (byte)'o', (byte)'b', (byte)'e', 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0, 0, 16, 0, 1];
        await udp.SendAsync(query, new IPEndPoint(IPAddress.Loopback, Port));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        try
        {
            var answer = await udp.ReceiveAsync(timeout.Token);
            return answer.Buffer.Length >= 12 && answer.Buffer[0] == 0x12 && answer.Buffer[1] == 0x34;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Stop()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                Signal("CONT");
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _process = null;
    }

    private void Signal(string signal)
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static int FreePort()
    {
        // A port free for both UDP and TCP on loopback (dnsmasq binds both).
        while (true)
        {
            using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
            try
            {
                var tcp = new TcpListener(IPAddress.Loopback, port);
                tcp.Start();
                tcp.Stop();
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }

    private static string? FindOrInstall(out string reason)
    {
        reason = "";
        foreach (var candidate in new[] { "/usr/sbin/dnsmasq", "/usr/bin/dnsmasq" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
        {
            reason = "the DNS tests need dnsmasq: run build/dnsmasq.sh as root (or apt-get install dnsmasq-base)";
            return null;
        }

        var script = Path.Combine(RepositoryRoot(), "build", "dnsmasq.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        using var install = Process.Start(start)!;
        var stdout = install.StandardOutput.ReadToEndAsync();
        var stderr = install.StandardError.ReadToEnd();
        install.WaitForExit();
        var path = stdout.GetAwaiter().GetResult().Trim();
        if (install.ExitCode == 0 && File.Exists(path))
        {
            return path;
        }

        reason = $"dnsmasq could not be installed with {script} (exit {install.ExitCode}): {stderr.Trim()}";
        return null;
    }

    private static string RepositoryRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile), Environment.CurrentDirectory })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "build", "dnsmasq.sh")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("no build/dnsmasq.sh above the tests");
    }
}
