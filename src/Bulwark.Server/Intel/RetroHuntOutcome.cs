namespace Bulwark.Server.Intel;

/// <summary>What one retro-hunt did, over every organisation.</summary>
/// <param name="Since">Findings received from this time on were matched again.</param>
/// <param name="Organisations">Organisations with findings in the window.</param>
/// <param name="Examined">Stored findings whose evidence was matched.</param>
/// <param name="Found">New intel findings stored (through the intake, so incidents and notices follow).</param>
/// <param name="Attributed">Stored findings whose attribution, TLP or confidence changed.</param>
/// <param name="IncidentsRaised">Incidents whose title, severity or confidence changed because a finding of theirs was
/// attributed (incidents the new findings joined or opened are the intake's, not counted here).</param>
public sealed record RetroHuntOutcome(DateTimeOffset At, DateTimeOffset Since, int Organisations, int Examined, int Found, int Attributed, int IncidentsRaised);
