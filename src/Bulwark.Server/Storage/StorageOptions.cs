using System.ComponentModel.DataAnnotations;

namespace Bulwark.Server.Storage;

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Holds the SQLite database, uploads waiting to be scanned, and the instance keys.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Largest accepted upload, in bytes (default 2 GiB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 2L << 30;

    /// <summary>Days a finding's evidence is kept (least data); 0 keeps it.</summary>
    [Range(0, 36500)]
    public int EvidenceRetentionDays { get; set; } = 365;

    public string UploadDirectory => Path.Combine(DataDirectory, "uploads");
}
