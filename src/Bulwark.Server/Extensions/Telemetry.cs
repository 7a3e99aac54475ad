using System.Diagnostics;

namespace Bulwark.Server;

/// <summary>Bulwark's own traces and metrics (exported with ASP.NET Core's through OpenTelemetry).</summary>
public static class Telemetry
{
    /// <summary>The name of the meter <see cref="BulwarkMetrics"/> records on, as OpenTelemetry subscribes to it.</summary>
    public const string MeterName = "Bulwark.Server";

    public static readonly ActivitySource Source = new("Bulwark.Server");
}
