using System.Text.Json.Nodes;

namespace Liaison.Workflows.Activities.Http;

/// <summary>
/// Route templates of HTTP endpoints as Elsa writes them ("/users/{id}", "orders/{id:int}/items/{*rest}"):
/// normalised the way Elsa's NormalizeRoute does (one leading slash, no trailing slash) and matched segment by
/// segment, literal segments case-insensitively.
/// </summary>
public static class HttpRoute
{
    /// <summary>Longest route template kept (the bookmark's event-name column holds 200 characters).</summary>
    public const int MaxLength = 190;

    public static string Normalize(string? path)
    {
        var trimmed = (path ?? "").Trim().Trim('/');
        return "/" + trimmed;
    }

    /// <summary>Why a route template cannot be used, or null when it can.</summary>
    public static string? Check(string? template)
    {
        if (string.IsNullOrWhiteSpace(template))
        {
            return "the path is empty";
        }

        var normalized = Normalize(template);
        if (normalized.Length > MaxLength)
        {
            return $"the path is longer than {MaxLength} characters";
        }

        if (normalized.Contains('?', StringComparison.Ordinal) && !normalized.Contains('{', StringComparison.Ordinal))
        {
            return "the path contains a query string; query parameters reach the workflow as QueryStringData";
        }

        var segments = Segments(normalized);
        for (var i = 0; i < segments.Length; i++)
        {
            var s = segments[i];
            if (s.Contains('{', StringComparison.Ordinal) || s.Contains('}', StringComparison.Ordinal))
            {
                if (!(s.StartsWith('{') && s.EndsWith('}') && s.Length > 2) || s[1..^1].Contains('{', StringComparison.Ordinal) || s[1..^1].Contains('}', StringComparison.Ordinal))
                {
                    return $"segment '{s}' is not a parameter of the form {{name}}";
                }

                if (s.StartsWith("{*", StringComparison.Ordinal) && i != segments.Length - 1)
                {
                    return $"the catch-all parameter '{s}' must be the last segment";
                }
            }
        }

        return null;
    }

    /// <summary>The route values when <paramref name="path"/> matches <paramref name="template"/>; null when it does not.</summary>
    public static JsonObject? Match(string template, string path)
    {
        var t = Segments(Normalize(template));
        var p = Segments(Normalize(path));
        var values = new JsonObject();
        for (var i = 0; i < t.Length; i++)
        {
            var segment = t[i];
            if (segment.StartsWith('{') && segment.EndsWith('}'))
            {
                var inner = segment[1..^1];
                var catchAll = inner.StartsWith('*');
                inner = inner.TrimStart('*');
                var optional = inner.EndsWith('?');
                inner = inner.TrimEnd('?');
                var colon = inner.IndexOf(':', StringComparison.Ordinal);
                var name = colon < 0 ? inner : inner[..colon];
                var constraint = colon < 0 ? null : inner[(colon + 1)..];
                if (catchAll)
                {
                    values[name] = string.Join('/', p.Skip(i).Select(Uri.UnescapeDataString));
                    return values;
                }

                if (i >= p.Length)
                {
                    if (optional)
                    {
                        continue;
                    }

                    return null;
                }

                var value = Uri.UnescapeDataString(p[i]);
                if (!Satisfies(constraint, value))
                {
                    return null;
                }

                values[name] = value;
                continue;
            }

            if (i >= p.Length || !string.Equals(segment, p[i], StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        return p.Length <= t.Length ? values : null;
    }

    private static bool Satisfies(string? constraint, string value) => constraint?.ToLowerInvariant() switch
    {
        null or "" => true,
        "int" or "long" => long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _),
        "guid" => Guid.TryParse(value, out _),
        "bool" => bool.TryParse(value, out _),
        "alpha" => value.All(char.IsAsciiLetter),
        _ => true,
    };

    private static string[] Segments(string normalized) => normalized.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
