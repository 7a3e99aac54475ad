using Microsoft.Playwright;

namespace Bulwark.Portal.Tests.Support;

/// <summary>
/// A basic accessibility check on the rendered page (not a full WCAG audit): the document has a language and a
/// title, one h1, every form control a visible label or an accessible name, every image an alt text, every
/// button and link a name.
/// </summary>
public static class Accessibility
{
    private const string Script = """
        () => {
          const problems = [];
          const name = el => (el.getAttribute('aria-label') || '').trim()
            || (el.getAttribute('aria-labelledby') || '').split(' ').map(id => document.getElementById(id)?.textContent || '').join('').trim()
            || (el.textContent || '').trim()
            || (el.getAttribute('title') || '').trim()
            || (el.querySelector('img[alt]')?.getAttribute('alt') || '').trim();
          const describe = el => el.outerHTML.slice(0, 120);
          if (!(document.documentElement.getAttribute('lang') || '').trim()) problems.push('html has no lang');
          if (!document.title.trim()) problems.push('page has no title');
          const h1 = document.querySelectorAll('h1').length;
          if (h1 !== 1) problems.push(`page has ${h1} h1 elements`);
          for (const el of document.querySelectorAll('input, select, textarea')) {
            const type = (el.getAttribute('type') || '').toLowerCase();
            if (['hidden', 'submit', 'button', 'reset', 'image'].includes(type)) continue;
            const labelled = (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent.trim())
              || el.closest('label')?.textContent.trim()
              || (el.getAttribute('aria-label') || '').trim()
              || (el.getAttribute('aria-labelledby') || '').trim();
            if (!labelled) problems.push('control without label: ' + describe(el));
          }
          for (const img of document.querySelectorAll('img')) {
            if (!img.hasAttribute('alt')) problems.push('image without alt: ' + describe(img));
          }
          for (const el of document.querySelectorAll('button, a[href]')) {
            if (!name(el)) problems.push('button or link without a name: ' + describe(el));
          }
          const ids = {};
          for (const el of document.querySelectorAll('[id]')) ids[el.id] = (ids[el.id] || 0) + 1;
          for (const [id, n] of Object.entries(ids)) if (n > 1) problems.push(`id "${id}" used ${n} times`);
          return problems;
        }
        """;

    public static async Task<string[]> ProblemsAsync(IPage page) => await page.EvaluateAsync<string[]>(Script);

    /// <summary>Fails with the page's address and every problem found.</summary>
    public static async Task AssertBasicsAsync(IPage page)
    {
        var problems = await ProblemsAsync(page);
        Assert.True(problems.Length == 0, $"{page.Url}:\n" + string.Join('\n', problems));
    }
}
