namespace Bulwark.Data.Intel;

/// <summary>How the server proves who it is to a polled source.</summary>
public enum IntelCredentialKind
{
    None,

    /// <summary>HTTP Basic: a user name and a password (what every TAXII 2.1 server accepts).</summary>
    Basic,

    /// <summary><c>Authorization: Bearer</c> with a token.</summary>
    Bearer,
}
