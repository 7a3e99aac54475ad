using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Bulwark.Server.Tests.Support;

/// <summary>
/// A cookie-keeping HTTP client that reads pages as HTML and submits their forms with the anti-forgery token,
/// as a browser without JavaScript would. Redirects are not followed, so tests see them.
/// </summary>
public sealed class PortalBrowser
{
    private static readonly HtmlParser Parser = new();
    private readonly HttpClient _http;

    public PortalBrowser(WebApplicationFactory<Program> server)
    {
        (server as BulwarkServer)?.EnsureAvailable();
        _http = server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
    }

    public HttpClient Http => _http;

    public sealed record PageResult(HttpStatusCode Status, IDocument Document, Uri? Location, HttpResponseMessage Response)
    {
        public string Text => Document.Body?.TextContent ?? "";

        /// <summary>Where a redirect points, as path and query, whether the server wrote it absolute or relative.</summary>
        public string? Target => Location is null ? null : Location.IsAbsoluteUri ? Location.PathAndQuery : Location.OriginalString;

        /// <summary>The redirect's path without its query.</summary>
        public string? TargetPath => Target?.Split('?')[0];
    }

    public async Task<PageResult> GetAsync(string path)
    {
        var response = await _http.GetAsync(path);
        return await ReadAsync(response);
    }

    /// <summary>Loads <paramref name="path"/>, picks the form (by CSS selector, else the one in main), fills and posts it.</summary>
    public async Task<PageResult> SubmitAsync(string path, IReadOnlyDictionary<string, string> fields, string? formSelector = null)
    {
        var page = await GetAsync(path);
        if (page.Status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)page.Status} {page.Location}");
        }

        return await SubmitAsync(page, fields, formSelector, path);
    }

    public async Task<PageResult> SubmitAsync(PageResult page, IReadOnlyDictionary<string, string> fields, string? formSelector, string path)
    {
        var form = (formSelector is null ? page.Document.QuerySelector("main form") : page.Document.QuerySelector(formSelector))
            ?? throw new InvalidOperationException($"no form {formSelector} on {path}");
        var values = new List<KeyValuePair<string, string>>();
        foreach (var input in form.QuerySelectorAll("input[name], select[name], textarea[name]"))
        {
            var name = input.GetAttribute("name")!;
            if (fields.ContainsKey(name))
            {
                continue;
            }

            var type = input.GetAttribute("type");
            if (type is "checkbox" or "radio" && !input.HasAttribute("checked"))
            {
                continue;
            }

            var value = input.LocalName == "select"
                ? (input.QuerySelector("option[selected]") ?? input.QuerySelector("option"))?.GetAttribute("value") ?? ""
                : input.LocalName == "textarea" ? input.TextContent : input.GetAttribute("value") ?? "";
            values.Add(new(name, value));
        }

        values.AddRange(fields);
        var action = form.GetAttribute("action");
        var target = string.IsNullOrEmpty(action) ? path : action;
        var response = await _http.PostAsync(target, new FormUrlEncodedContent(values));
        return await ReadAsync(response);
    }

    /// <summary>Signs in with a password and, when given, the current TOTP code; returns the final redirect.</summary>
    public async Task<PageResult> SignInAsync(string userName, string password = PortalUsers.Password, string? totpSecret = null)
    {
        var result = await SubmitAsync("/account/sign-in", new Dictionary<string, string> { ["UserName"] = userName, ["Password"] = password }, "main form:not(#passkey-form)");
        if (result.TargetPath == "/account/two-factor" && totpSecret is not null)
        {
            result = await SubmitAsync(result.Target!, new Dictionary<string, string> { ["Code"] = PortalUsers.TotpCode(totpSecret) });
        }

        return result;
    }

    private static async Task<PageResult> ReadAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var document = await Parser.ParseDocumentAsync(html);
        return new PageResult(response.StatusCode, document, response.Headers.Location, response);
    }
}
