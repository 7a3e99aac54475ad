using System.Net.Http.Headers;
using AngleSharp.Html.Parser;

namespace Bulwark.Server.Tests.Support;

/// <summary>Posting a page's multipart form (a file upload) as a browser without JavaScript would: its fields in order, the token first.</summary>
public static class PortalForms
{
    private static readonly HtmlParser Parser = new();

    /// <summary>
    /// Posts the form <paramref name="formSelector"/> of <paramref name="page"/> as multipart/form-data: its hidden fields
    /// (the anti-forgery token among them) in document order, then <paramref name="bytes"/> as the file input's file.
    /// </summary>
    public static async Task<PortalBrowser.PageResult> PostFileAsync(
        this PortalBrowser browser, PortalBrowser.PageResult page, string formSelector, string fileName, byte[] bytes, bool withToken = true)
    {
        var form = page.Document.QuerySelector(formSelector) ?? throw new InvalidOperationException($"no form {formSelector}");
        using var content = new MultipartFormDataContent();
        foreach (var input in form.QuerySelectorAll("input[name]"))
        {
            var name = input.GetAttribute("name")!;
            if (input.GetAttribute("type") == "file")
            {
                var file = new ByteArrayContent(bytes);
                file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                // A browser sends filename="" when no file was chosen; HttpClient's Add refuses an empty name.
                file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = $"\"{name}\"", FileName = $"\"{fileName}\"" };
                content.Add(file);
            }
            else if (withToken || name != "__RequestVerificationToken")
            {
                content.Add(new StringContent(input.GetAttribute("value") ?? ""), name);
            }
        }

        var response = await browser.Http.PostAsync(form.GetAttribute("action"), content);
        var html = await response.Content.ReadAsStringAsync();
        return new PortalBrowser.PageResult(response.StatusCode, await Parser.ParseDocumentAsync(html), response.Headers.Location, response);
    }
}
