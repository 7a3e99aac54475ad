using Bulwark.Data.Incidents;

namespace Bulwark.Server.Notification;

/// <summary>
/// Turns a confirmed incident into notices for each audience and queues their deliveries (outbox), in the
/// caller's unit of work: the caller saves the context, so the incident's confirmation, its notices and their
/// deliveries commit together or not at all.
/// </summary>
public interface INoticeIssuer
{
    Task IssueAsync(Incident incident, CancellationToken ct);
}
