using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bulwark.Core.Intel.Taxii;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Server.Tests.Support;

/// <summary>
/// The real server on Kestrel (a free loopback port) over <typeparamref name="TServer"/>'s database, so the TAXII
/// client talks HTTP to it exactly as a partner's would. Small limits make the 413 cases cheap to reach.
/// </summary>
public sealed class TaxiiHost<TServer> : IAsyncLifetime
    where TServer : BulwarkServer, new()
{
    public const long MaxContentLength = 256 * 1024;
    public const int MaxObjectsPerRequest = 300;
    public const int MaxPageSize = 50;

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public TServer Server { get; } = new();

    /// <summary>Where the server listens, e.g. http://127.0.0.1:40123/.</summary>
    public Uri Address { get; private set; } = null!;

    public Uri Discovery => new(Address, "/taxii2/");

    public Uri ApiRoot => new(Address, "/taxii2/bulwark/");

    public async ValueTask InitializeAsync()
    {
        Server.Settings["Taxii:MaxContentLength"] = MaxContentLength.ToString(CultureInfo.InvariantCulture);
        Server.Settings["Taxii:MaxObjectsPerRequest"] = MaxObjectsPerRequest.ToString(CultureInfo.InvariantCulture);
        Server.Settings["Taxii:MaxPageSize"] = MaxPageSize.ToString(CultureInfo.InvariantCulture);
        Server.Settings["Taxii:Contact"] = "cert@bulwark.example";
        Server.Settings["Ingestion:WorkerEnabled"] = "false";
        Server.UseKestrel(0);
        await Server.InitializeAsync();
        if (Server.Unavailable is not null)
        {
            return;
        }

        Server.StartServer();
        var address = Server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        _http.BaseAddress = Address;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>A TAXII client over real HTTP with the key as HTTP Basic password (or as bearer token).</summary>
    public TaxiiClient Client(string token, bool bearer = false)
    {
        Server.EnsureAvailable();
        return new TaxiiClient(_http, bearer ? TaxiiCredentials.Bearer(token) : TaxiiCredentials.Basic("partner", token));
    }

    /// <summary>A plain HTTP request to the server, for what a TAXII client would never send.</summary>
    /// <param name="token">Sent as the HTTP Basic password; <paramref name="authorization"/> sends a raw header instead.</param>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string? token, string? accept = TaxiiMediaTypes.Taxii21, HttpContent? content = null, string? authorization = null)
    {
        Server.EnsureAvailable();
        using var request = new HttpRequestMessage(method, new Uri(Address, path)) { Content = content };
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        else if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("partner:" + token)));
        }

        return await _http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static ByteArrayContent Body(string json, string contentType = TaxiiMediaTypes.Taxii21) => Body(Encoding.UTF8.GetBytes(json), contentType);

    public static ByteArrayContent Body(byte[] bytes, string contentType = TaxiiMediaTypes.Taxii21)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    /// <summary>Operator call over the real listener.</summary>
    public async Task<HttpResponseMessage> OperatorAsync(HttpMethod method, string path, object? body = null)
    {
        Server.EnsureAvailable();
        using var request = new HttpRequestMessage(method, new Uri(Address, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BulwarkServer.BootstrapToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: BulwarkServer.Json);
        }

        return await _http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Creates a collection as the operator; returns its id.</summary>
    public async Task<string> CreateCollectionAsync(string title, string? alias = null, string? maxTlp = null)
    {
        var response = await OperatorAsync(HttpMethod.Post, "/api/v1/taxii/collections", new { title, description = $"{title} (test)", alias, maxTlp });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(BulwarkServer.Json, TestContext.Current.CancellationToken)).GetProperty("id").GetString()!;
    }

    /// <summary>A new key (default: a partner's); returns its id and token.</summary>
    public async Task<(Guid Id, string Token)> CreateKeyAsync(string name, string scope = "Partner", Guid? organisationId = null)
    {
        var response = await OperatorAsync(HttpMethod.Post, "/api/v1/keys", new { name, scope, organisationId });
        response.EnsureSuccessStatusCode();
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(BulwarkServer.Json, TestContext.Current.CancellationToken);
        return (created.GetProperty("key").GetProperty("id").GetGuid(), created.GetProperty("token").GetString()!);
    }

    public async Task GrantAsync(string collectionId, Guid keyId, bool canRead, bool canWrite)
    {
        var response = await OperatorAsync(HttpMethod.Put, $"/api/v1/taxii/collections/{collectionId}/grants/{keyId}", new { canRead, canWrite });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A collection and a partner key with read and write on it.</summary>
    public async Task<(string Collection, string Token)> CollectionWithWriterAsync(string title)
    {
        var collection = await CreateCollectionAsync(title);
        var (keyId, token) = await CreateKeyAsync($"{title} partner");
        await GrantAsync(collection, keyId, canRead: true, canWrite: true);
        return (collection, token);
    }
}
