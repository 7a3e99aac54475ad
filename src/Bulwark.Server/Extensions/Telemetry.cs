using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Bulwark.Server;

/// <summary>Bulwark's own traces and metrics (exported with ASP.NET Core's through OpenTelemetry).</summary>
public static class Telemetry
{
    public static readonly ActivitySource Source = new("Bulwark.Server");

    public static readonly Meter Meter = new("Bulwark.Server");
}
