using Bulwark.LogGen.Logs;
using Bulwark.LogGen.Output;

namespace Bulwark.LogGen.Traffic;

/// <summary>The lines one ECP call left: its request lines and its ECP server log line.</summary>
public readonly record struct EcpCall(RequestLines Request, LineLocation ServerLine);
