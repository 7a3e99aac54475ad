using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Bulwark.Core.Findings;
using Bulwark.Core.Reporting;
using Bulwark.Core.Scanning;

namespace Bulwark.Cli.Submission;

/// <summary>
/// Sends a scan's findings (never the logs) to a Bulwark server's <c>/api/v1/findings</c> as JSON Lines, in the
/// shape <c>--format jsonl</c> writes, in batches the server accepts.
/// </summary>
public sealed class FindingSubmitter(HttpClient http)
{
    /// <summary>Bytes per request, well under the server's default 16 MiB limit.</summary>
    public const int BatchBytes = 4 << 20;

    /// <summary>Findings per request, under the server's default 5,000.</summary>
    public const int BatchFindings = 1000;

    public const string EnvironmentKey = "BULWARK_API_KEY";

    /// <summary>The server's answer, summed over the batches; rejection indexes count from the first finding.</summary>
    public sealed record Outcome(int Accepted, int Duplicates, IReadOnlyList<(int Index, string FindingId, string Reason)> Rejected);

    /// <summary>Why the server cannot be used (not absolute http(s), plain http to another machine), or null.</summary>
    public static string? CheckServer(string url, out Uri? server)
    {
        server = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return $"--submit '{url}': expected the server's address, e.g. https://bulwark.example.org";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            return $"--submit '{url}': use https; findings name your servers and attackers, and plain http is allowed only to this machine";
        }

        server = uri;
        return null;
    }

    public async Task<Outcome> SubmitAsync(Uri server, string key, ScanResult result, CancellationToken ct)
    {
        var endpoint = new Uri(server, server.AbsolutePath.TrimEnd('/') + "/api/v1/findings");
        var lines = Lines(result);
        var accepted = 0;
        var duplicates = 0;
        var rejected = new List<(int, string, string)>();
        var start = 0;
        do
        {
            var (count, body) = Batch(lines, start);
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-ndjson") { CharSet = "utf-8" } } },
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            request.Headers.UserAgent.ParseAdd($"bulwark/{CliContext.Version}");

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, ct);
            }
            catch (HttpRequestException ex)
            {
                throw new SubmissionException($"cannot reach {server}: {ex.Message}");
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new SubmissionException($"no answer from {server} within {http.Timeout.TotalSeconds:0} s");
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    throw new SubmissionException($"the server refused the findings: {(int)response.StatusCode} {Describe(response.StatusCode)}{Detail(text)}");
                }

                try
                {
                    using var answer = JsonDocument.Parse(text);
                    accepted += answer.RootElement.GetProperty("accepted").GetInt32();
                    duplicates += answer.RootElement.GetProperty("duplicates").GetInt32();
                    foreach (var r in answer.RootElement.GetProperty("rejected").EnumerateArray())
                    {
                        var index = start + r.GetProperty("index").GetInt32();
                        var id = index >= 0 && index < result.Findings.Count ? result.Findings[index].Id : "?";
                        rejected.Add((index, id, r.GetProperty("reason").GetString() ?? ""));
                    }
                }
                catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    throw new SubmissionException($"{endpoint} did not answer like a Bulwark server ({(int)response.StatusCode}): {ex.Message}");
                }
            }

            start += count;
        }
        while (start < lines.Count);

        return new Outcome(accepted, duplicates, rejected);
    }

    /// <summary>One UTF-8 JSON line per finding, exactly as <see cref="JsonLinesReportWriter"/> writes them.</summary>
    private static List<byte[]> Lines(ScanResult result)
    {
        var lines = new List<byte[]>(result.Findings.Count);
        var writer = new JsonLinesReportWriter();
        foreach (var finding in result.Findings)
        {
            using var text = new StringWriter();
            writer.Write(result with { Findings = [finding] }, text);
            lines.Add(Encoding.UTF8.GetBytes(text.ToString()));
        }

        return lines;
    }

    /// <summary>The findings from <paramref name="start"/> that fit one request (at least one; an empty scan sends an empty body).</summary>
    private static (int Count, byte[] Body) Batch(List<byte[]> lines, int start)
    {
        var count = 0;
        var size = 0;
        while (start + count < lines.Count && count < BatchFindings && (count == 0 || size + lines[start + count].Length <= BatchBytes))
        {
            size += lines[start + count].Length;
            count++;
        }

        var body = new byte[size];
        var offset = 0;
        for (var i = start; i < start + count; i++)
        {
            lines[i].CopyTo(body, offset);
            offset += lines[i].Length;
        }

        return (count, body);
    }

    private static string Describe(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "(unknown or revoked key)",
        HttpStatusCode.Forbidden => "(this key may not submit findings: use an organisation's ingest or admin key)",
        HttpStatusCode.RequestEntityTooLarge => "(too large)",
        HttpStatusCode.NotFound => "(no Bulwark findings endpoint at this address)",
        _ => $"({status})",
    };

    /// <summary>The problem details' detail, when the server sent one.</summary>
    private static string Detail(string body)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            return problem.RootElement.ValueKind == JsonValueKind.Object && problem.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String
                ? $": {detail.GetString()}"
                : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}

/// <summary>The findings could not be submitted; the message says why.</summary>
public sealed class SubmissionException(string message) : Exception(message);
