using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using Bulwark.Data.Membership;
using Bulwark.Data.Portal;
using Bulwark.Server.Portal;
using Bulwark.Server.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Server.Tests.Support;

/// <summary>
/// The analyst pages' test helpers over any host: findings to submit, raw form posts. Accounts come from
/// <see cref="PortalUsers"/> through the host's own services (the notification host has its own clock and SMTP server).
/// </summary>
public static class AnalystPortal
{
    /// <summary>A finding in Core's JSON shape with evidence lines carrying <paramref name="fields"/>.</summary>
    public static JsonObject Finding(
        string id,
        string subject,
        string detection,
        string title,
        string severity,
        string confidence,
        string firstSeen,
        string lastSeen,
        string remediation,
        params (string File, long Line, string? At, JsonObject Fields)[] evidence) => new()
        {
            ["id"] = id,
            ["detection"] = detection,
            ["title"] = title,
            ["severity"] = severity,
            ["confidence"] = confidence,
            ["cves"] = new JsonArray("CVE-2021-26855"),
            ["attack"] = new JsonArray("T1190"),
            ["firstSeen"] = firstSeen,
            ["lastSeen"] = lastSeen,
            ["subject"] = subject,
            ["evidenceCount"] = Math.Max(evidence.Length, 1),
            ["evidence"] = new JsonArray([.. evidence.Select(e => (JsonNode)new JsonObject
            {
                ["file"] = e.File,
                ["line"] = e.Line,
                ["timestamp"] = e.At,
                ["fields"] = e.Fields,
            })]),
            ["remediation"] = remediation,
            ["source"] = "Test-ProxyLogon.ps1 (microsoft/CSS-Exchange)",
        };

    public static async Task SubmitAsync(HttpClient ingest, params JsonNode[] findings)
    {
        var response = await ingest.PostAsync("/api/v1/findings", IngestionSupport.JsonBody(new JsonArray(findings)), TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(BulwarkServer.Json, TestContext.Current.CancellationToken);
        Assert.Equal((findings.Length, 0, 0), IngestionSupport.Counts(result));
    }

    /// <summary>Posts <paramref name="fields"/> to any address with the anti-forgery token of an already loaded page (as a forged or stale form would).</summary>
    public static async Task<PortalBrowser.PageResult> PostAsync(PortalBrowser browser, PortalBrowser.PageResult withToken, string url, IReadOnlyDictionary<string, string> fields)
    {
        var token = withToken.Document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException("the page has no anti-forgery token");
        var values = fields.Append(new("__RequestVerificationToken", token)).ToList();
        var response = await browser.Http.PostAsync(url, new FormUrlEncodedContent(values));
        var html = await response.Content.ReadAsStringAsync();
        var document = await new HtmlParser().ParseDocumentAsync(html);
        return new PortalBrowser.PageResult(response.StatusCode, document, response.Headers.Location, response);
    }
}
