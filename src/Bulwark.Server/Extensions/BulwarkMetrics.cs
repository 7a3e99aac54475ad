using System.Diagnostics.Metrics;
using Bulwark.Data.Incidents;
using Bulwark.Data.Ingestion;
using Bulwark.Data.Notification;
using Microsoft.EntityFrameworkCore;

namespace Bulwark.Server;

/// <summary>
/// Bulwark's own metrics, on the <see cref="Telemetry.MeterName"/> meter (docs/server.md lists them). Each counts
/// work once it has committed, so a retried unit of work is not counted twice. The meter comes from the host's
/// <see cref="IMeterFactory"/>: one per host, so two hosts in one process (tests) keep their own.
/// </summary>
public sealed class BulwarkMetrics
{
    private readonly Counter<long> _findingsIngested;
    private readonly Counter<long> _uploadsScanned;
    private readonly Histogram<double> _scanDuration;
    private readonly Counter<long> _incidentsOpened;
    private readonly Counter<long> _noticesIssued;
    private readonly Counter<long> _deliveries;

    public BulwarkMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(Telemetry.MeterName);
        _findingsIngested = Meter.CreateCounter<long>("bulwark.findings.ingested", "{finding}", "Findings stored (duplicates of stored ones are not), by source: upload or submitted");
        _uploadsScanned = Meter.CreateCounter<long>("bulwark.uploads.scanned", "{upload}", "Uploads whose outcome the scan worker recorded, by outcome: done or failed");
        _scanDuration = Meter.CreateHistogram<double>("bulwark.upload.scan.duration", "s", "Time from claiming an upload to recording its outcome, by outcome");
        _incidentsOpened = Meter.CreateCounter<long>("bulwark.incidents.opened", "{incident}", "Incidents opened by grouping new findings");
        _noticesIssued = Meter.CreateCounter<long>("bulwark.notices.issued", "{notice}", "Notices issued for confirmed incidents (organisation and personal)");
        _deliveries = Meter.CreateCounter<long>("bulwark.deliveries", "{delivery}", "Delivery attempts recorded, by channel (email, webhook) and outcome: sent, retry (failed, tried again later) or dead (failed for the last time)");
    }

    public Meter Meter { get; }

    public void FindingsIngested(FindingOrigin origin, int count)
    {
        if (count > 0)
        {
            _findingsIngested.Add(count, new KeyValuePair<string, object?>("source", origin == FindingOrigin.Upload ? "upload" : "submitted"));
        }
    }

    public void UploadScanned(bool done, TimeSpan? duration = null)
    {
        var outcome = new KeyValuePair<string, object?>("outcome", done ? "done" : "failed");
        _uploadsScanned.Add(1, outcome);
        if (duration is { } d)
        {
            _scanDuration.Record(d.TotalSeconds, outcome);
        }
    }

    /// <summary>Uploads given up without a scan (interrupted twice): failed, with no scan time to record.</summary>
    public void UploadsFailedUnscanned(int count)
    {
        if (count > 0)
        {
            _uploadsScanned.Add(count, new KeyValuePair<string, object?>("outcome", "failed"));
        }
    }

    public void Delivery(DeliveryChannel channel, string outcome) =>
        _deliveries.Add(1, new KeyValuePair<string, object?>("channel", channel == DeliveryChannel.Email ? "email" : "webhook"), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>What a unit of work is about to add: take it before saving, <see cref="Committed"/> after the commit.</summary>
    public static Pending Adding(DbContext db) => new(
        db.ChangeTracker.Entries<Incident>().Count(e => e.State == EntityState.Added),
        db.ChangeTracker.Entries<Notice>().Count(e => e.State == EntityState.Added));

    public void Committed(Pending added)
    {
        if (added.Incidents > 0)
        {
            _incidentsOpened.Add(added.Incidents);
        }

        if (added.Notices > 0)
        {
            _noticesIssued.Add(added.Notices);
        }
    }

    public readonly record struct Pending(int Incidents, int Notices);
}
