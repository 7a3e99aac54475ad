using System.ComponentModel.DataAnnotations;

namespace Bulwark.Server.Ingestion;

/// <summary>Configuration section <c>Ingestion</c>: the scan worker and findings submissions.</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>
    /// Runs the upload scan worker in this process. Turn it off on web-only instances (or in tests that need an
    /// upload to stay queued); queued uploads wait in the database until a worker runs.
    /// </summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>How often the worker looks for queued uploads it was not told about (another instance took them in).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest findings submission, in bytes (default 16 MiB); <c>bulwark scan --submit</c> sends smaller batches.</summary>
    [Range(1024, 1L << 30)]
    public long MaxSubmissionBytes { get; set; } = 16L << 20;

    /// <summary>Most findings in one submission.</summary>
    [Range(1, 100_000)]
    public int MaxFindingsPerSubmission { get; set; } = 5000;
}
