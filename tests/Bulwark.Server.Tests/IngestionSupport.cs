using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bulwark.Data;
using Bulwark.Server.Ingestion;
using Bulwark.Server.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Server.Tests;

/// <summary>Helpers of the ingestion and incident tests: sample archives, uploads, findings in Core's shape.</summary>
internal static class IngestionSupport
{
    public static readonly JsonSerializerOptions Json = BulwarkServer.Json;

    /// <summary>The repository root (holds Bulwark.slnx), found upwards from the test binaries or this source file.</summary>
    public static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile)! })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Bulwark.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("repository root (Bulwark.slnx) not found");
    }

    public static string Samples => Path.Combine(RepositoryRoot(), "samples", "exchange-server");

    private static readonly Lazy<byte[]> SamplesZipBytes = new(() =>
    {
        using var buffer = new MemoryStream();
        ZipFile.CreateFromDirectory(Samples, buffer, CompressionLevel.Fastest, includeBaseDirectory: false);
        return buffer.ToArray();
    });

    /// <summary><c>samples/exchange-server</c> zipped (entries relative to the tree, as a member would zip it).</summary>
    public static byte[] SamplesZip => SamplesZipBytes.Value;

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string? name, HttpContent content, CancellationToken ct)
    {
        var uri = name is null ? "/api/v1/uploads" : $"/api/v1/uploads?name={Uri.EscapeDataString(name)}";
        return await client.PostAsync(uri, content, ct);
    }

    public static async Task<Guid> UploadAcceptedAsync(HttpClient client, string name, byte[] bytes, CancellationToken ct)
    {
        var response = await UploadAsync(client, name, new ByteArrayContent(bytes), ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
        Assert.Equal("Queued", body.GetProperty("status").GetString());
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/uploads/{id}", response.Headers.Location?.OriginalString);
        return id;
    }

    /// <summary>
    /// True once <paramref name="path"/> no longer exists (within 10 s): the worker deletes an upload's bytes just
    /// after committing its outcome, so the status can read Done a moment before the folder is gone.
    /// </summary>
    public static async Task<bool> GoneAsync(string path)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (Directory.Exists(path) || File.Exists(path))
        {
            if (Environment.TickCount64 > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    /// <summary>Polls the upload until the worker has finished with it (Done or Failed).</summary>
    public static async Task<JsonElement> WaitForUploadAsync(HttpClient client, Guid id, CancellationToken ct)
    {
        var deadline = Environment.TickCount64 + 120_000;
        while (true)
        {
            var upload = await client.GetFromJsonAsync<JsonElement>($"/api/v1/uploads/{id}", Json, ct);
            var status = upload.GetProperty("status").GetString();
            if (status is "Done" or "Failed")
            {
                return upload;
            }

            Assert.True(Environment.TickCount64 < deadline, $"upload {id} still {status} after 120 s");
            await Task.Delay(100, ct);
        }
    }

    /// <summary>An admitted organisation with admin and ingest keys, created through any factory over the fixture's database.</summary>
    public static Task<Member> CreateMemberAsync(WebApplicationFactory<Program> factory, string name) =>
        Members.CreateAsync(token => Client(factory, token), name, sector: "Ngo");

    public static Task<string> CreateKeyAsync(WebApplicationFactory<Program> factory, string name, string scope, Guid? organisationId) =>
        Members.CreateKeyAsync(token => Client(factory, token), name, scope, organisationId);

    /// <summary>The key id of a token, as <c>DecidedBy</c> and audit entries name it.</summary>
    public static async Task<Guid> KeyIdAsync(WebApplicationFactory<Program> factory, string name)
    {
        var keys = await Client(factory, BulwarkServer.BootstrapToken).GetFromJsonAsync<JsonElement>("/api/v1/keys", Json);
        return keys.EnumerateArray().Last(k => k.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();
    }

    public static HttpClient Client(WebApplicationFactory<Program> factory, string? token)
    {
        var client = factory.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>A DbContext over the factory's database that sees every organisation (both walls: filter and RLS).</summary>
    public static async Task<T> WithDatabaseAsync<T>(WebApplicationFactory<Program> factory, Func<BulwarkDbContext, Task<T>> work)
    {
        await using var scope = WorkerTenant.CreateInstanceWideScope(factory.Services.GetRequiredService<IServiceScopeFactory>());
        return await work(scope.ServiceProvider.GetRequiredService<BulwarkDbContext>());
    }

    /// <summary>A finding in the shape <c>bulwark scan --format json</c> writes.</summary>
    public static JsonObject Finding(
        string id,
        string subject,
        string detection = "exchange.proxylogon.ssrf",
        string severity = "critical",
        string confidence = "high",
        string firstSeen = "2021-03-03T06:59:11.840Z",
        string lastSeen = "2021-03-03T06:59:23.288Z") => new()
        {
            ["id"] = id,
            ["detection"] = detection,
            ["title"] = "ProxyLogon server-side request forgery (CVE-2021-26855)",
            ["severity"] = severity,
            ["confidence"] = confidence,
            ["cves"] = new JsonArray("CVE-2021-26855"),
            ["attack"] = new JsonArray("T1190"),
            ["firstSeen"] = firstSeen,
            ["lastSeen"] = lastSeen,
            ["subject"] = subject,
            ["evidenceCount"] = 2,
            ["evidence"] = new JsonArray(
            Evidence("Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG", 11, firstSeen, subject),
            Evidence("Logging/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG", 15, lastSeen, subject)),
            ["remediation"] = "Install the March 2021 Exchange security update (KB5000871).",
            ["source"] = "Test-ProxyLogon.ps1 (microsoft/CSS-Exchange)",
        };

    public static JsonObject Evidence(string file, long line, string? timestamp, string client) => new()
    {
        ["file"] = file,
        ["line"] = line,
        ["timestamp"] = timestamp,
        ["fields"] = new JsonObject
        {
            ["UrlStem"] = "/ecp/y.js",
            ["AnchorMailbox"] = "ServerInfo~a]@ex01.contoso.local:444/mapi/emsmdb/?#",
            ["ClientIpAddress"] = client,
        },
    };

    public static StringContent JsonBody(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    public static async Task<JsonElement> SubmitAsync(HttpClient client, JsonNode body, CancellationToken ct)
    {
        var response = await client.PostAsync("/api/v1/findings", JsonBody(body), ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct);
    }

    public static (int Accepted, int Duplicates, int Rejected) Counts(JsonElement result) => (
        result.GetProperty("accepted").GetInt32(),
        result.GetProperty("duplicates").GetInt32(),
        result.GetProperty("rejected").GetArrayLength());

    public static async Task<List<JsonElement>> IncidentsAsync(HttpClient client, string query, CancellationToken ct)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents?pageSize=200{query}", Json, ct);
        return [.. page.GetProperty("items").EnumerateArray()];
    }
}
