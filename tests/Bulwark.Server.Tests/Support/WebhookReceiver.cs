using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bulwark.Server.Tests.Support;

/// <summary>
/// A real HTTP endpoint (Kestrel on a loopback port) that receives webhooks at <c>/hooks/{name}</c>, checks their
/// Standard Webhooks signature with its own implementation of the spec, records everything, and can be told to
/// fail the next N requests of an endpoint.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _secrets = new();
    private readonly Dictionary<string, int> _failures = [];
    private readonly ConcurrentQueue<Received> _received = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public string BaseAddress { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/{name}", receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseAddress = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return receiver;
    }

    public string UrlFor(string name) => $"{BaseAddress}/hooks/{name}";

    /// <summary>The secret the endpoint verifies signatures with (as returned when the webhook was registered).</summary>
    public void Register(string name, string secret) => _secrets[name] = secret;

    /// <summary>Answer the endpoint's next <paramref name="count"/> requests with HTTP 500.</summary>
    public void FailNext(string name, int count)
    {
        lock (_failures)
        {
            _failures[name] = count;
        }
    }

    public IReadOnlyList<Received> For(string name) => _received.Where(r => r.Endpoint == name).ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Standard Webhooks v1: base64 HMAC-SHA256, keyed with the secret's base64 part, of "id.timestamp.body".</summary>
    public static bool Verify(string secret, string id, string timestamp, string body, string signatureHeader)
    {
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        foreach (var candidate in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = candidate.Split(',', 2);
            if (parts.Length == 2 && parts[0] == "v1")
            {
                try
                {
                    if (CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(parts[1]), expected))
                    {
                        return true;
                    }
                }
                catch (FormatException)
                {
                }
            }
        }

        return false;
    }

    private async Task<IResult> HandleAsync(string name, HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var id = request.Headers["webhook-id"].ToString();
        var timestamp = request.Headers["webhook-timestamp"].ToString();
        var signature = request.Headers["webhook-signature"].ToString();
        var valid = _secrets.TryGetValue(name, out var secret) && Verify(secret, id, timestamp, body, signature);

        var status = StatusCodes.Status204NoContent;
        if (TakeFailure(name))
        {
            status = StatusCodes.Status500InternalServerError;
        }
        else if (!valid)
        {
            status = StatusCodes.Status401Unauthorized;
        }

        _received.Enqueue(new Received(name, id, timestamp, signature, body, request.ContentType, valid, status));
        return Results.StatusCode(status);
    }

    private bool TakeFailure(string name)
    {
        lock (_failures)
        {
            if (_failures.TryGetValue(name, out var left) && left > 0)
            {
                _failures[name] = left - 1;
                return true;
            }

            return false;
        }
    }

    public sealed record Received(string Endpoint, string Id, string Timestamp, string Signature, string Body, string? ContentType, bool SignatureValid, int Status);
}
