using Ganss.Xss;

namespace Liaison.Domain.Common;

/// <summary>
/// The rich text people write in the browser (a reply's body): a small set of formatting tags and nothing that
/// runs or loads anything. Cleaned where it is stored, so every path in (browser, API, import) is safe to show.
/// </summary>
public static class RichText
{
    /// <summary>Paragraphs, emphasis, lists, headings, quotes and simple tables: what an official letter (答复函) uses.</summary>
    public static readonly IReadOnlySet<string> AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "p", "br", "div", "span", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "h3", "h4", "blockquote",
        "table", "thead", "tbody", "tr", "th", "td",
    };

    private static readonly HashSet<string> DroppedWhole = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "textarea", "title", "head", "select", "button", "form",
    };

    // Configured once; Sanitize is safe to call from several threads on a configured instance.
    private static readonly HtmlSanitizer Sanitizer = Create();

    /// <summary>The HTML with every disallowed tag, attribute, style and URL removed (scripts with their content).</summary>
    public static string Clean(string? html) => string.IsNullOrWhiteSpace(html) ? string.Empty : Sanitizer.Sanitize(html).Trim();

    /// <summary>Whether cleaned HTML still says something (not only empty paragraphs and line breaks).</summary>
    public static bool HasText(string html) =>
        !string.IsNullOrWhiteSpace(System.Text.RegularExpressions.Regex.Replace(System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]*>", " ")), @"\s+", " "));

    private static HtmlSanitizer Create()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedTags.Clear();
        sanitizer.AllowedTags.UnionWith(AllowedTags);
        sanitizer.AllowedAttributes.Clear();
        sanitizer.AllowedAttributes.UnionWith(["colspan", "rowspan"]);
        sanitizer.AllowedCssProperties.Clear();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedAtRules.Clear();
        sanitizer.UriAttributes.Clear();
        // An unknown wrapper (<font>, <section>) keeps its text; what is code or an embedded document goes whole.
        sanitizer.KeepChildNodes = true;
        sanitizer.RemovingTag += (_, e) =>
        {
            if (DroppedWhole.Contains(e.Tag.LocalName))
            {
                while (e.Tag.FirstChild is { } child)
                {
                    e.Tag.RemoveChild(child);
                }
            }
        };
        return sanitizer;
    }
}
