using Bulwark.LogGen.Output;

namespace Bulwark.LogGen.Logs;

/// <summary>Where one request was written: its HttpProxy row and its IIS lines, each when present.</summary>
public readonly record struct RequestLines(LineLocation? Proxy, LineLocation? FrontEnd, LineLocation? BackEnd);
