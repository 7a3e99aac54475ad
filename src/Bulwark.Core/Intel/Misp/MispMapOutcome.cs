namespace Bulwark.Core.Intel.Misp;

/// <summary>What became of one attribute value.</summary>
internal enum MispMapOutcome
{
    /// <summary>The value gave the IOC index one or more values.</summary>
    Mapped,

    /// <summary>The type has no IOC kind (<c>AS</c>, <c>regkey</c>, <c>x509-fingerprint-sha256</c>…): counted, not a problem.</summary>
    Unsupported,

    /// <summary>The type is known but the value is not of its form: a problem.</summary>
    Invalid,
}
