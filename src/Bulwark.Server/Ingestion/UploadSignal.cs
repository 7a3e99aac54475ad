using System.Threading.Channels;

namespace Bulwark.Server.Ingestion;

/// <summary>
/// Wakes the scan worker when an upload is accepted. Only a hint: the queue itself is the database (uploads in
/// status Queued), so a lost signal costs at most one <see cref="IngestionOptions.PollInterval"/>.
/// </summary>
public sealed class UploadSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Waits until notified or <paramref name="timeout"/> passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            await _channel.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
    }
}
