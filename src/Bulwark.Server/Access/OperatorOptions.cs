namespace Bulwark.Server.Access;

/// <summary>Configuration section <c>Operator</c>.</summary>
public sealed class OperatorOptions
{
    public const string Section = "Operator";

    /// <summary>
    /// On an instance with no operator key, this token becomes the first operator key. Use it once to create
    /// real keys, then revoke it (<c>DELETE /api/v1/keys/{id}</c>). At least 32 characters.
    /// </summary>
    public string? BootstrapToken { get; set; }
}
