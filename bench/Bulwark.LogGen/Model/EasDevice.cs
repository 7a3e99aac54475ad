namespace Bulwark.LogGen.Model;

/// <summary>An ActiveSync device of one user.</summary>
public sealed record EasDevice(string DeviceId, string DeviceType, string UserAgent, string Ip);
