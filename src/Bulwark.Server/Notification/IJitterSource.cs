namespace Bulwark.Server.Notification;

/// <summary>Randomness for retry jitter, injected so tests are exact.</summary>
public interface IJitterSource
{
    /// <summary>A number in [0, 1).</summary>
    double NextDouble();
}

/// <summary>The process's shared random generator.</summary>
public sealed class SharedJitter : IJitterSource
{
    public double NextDouble() => Random.Shared.NextDouble();
}
