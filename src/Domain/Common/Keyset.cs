using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Liaison.Domain.Common;

/// <summary>
/// One page of a list paged by key: the rows, the cursor of the next page (null on the last one) and, where the UI shows it
/// and it is cheap, the total.
/// </summary>
public sealed record KeysetPage<T>(IReadOnlyList<T> Items, string? Next, int? Total = null)
{
    /// <summary>The cursor after one of the items: lets the API cut a page short (a byte budget) and still point past its last row.</summary>
    [JsonIgnore]
    public Func<T, string>? CursorOf { get; init; }
}

/// <summary>
/// Keyset paging: a page starts after the last row of the previous one (its sort key and id), so it costs the page, not the
/// offset, and rows inserted meanwhile neither repeat nor push rows out. The cursor (<c>after</c>) is opaque to callers:
/// base64url of the list's name and key values, with a checksum; a cursor that does not decode, belongs to another list or
/// fails its checksum is a validation error (400), never a query. It is not a secret: a forged cursor can only move where a
/// page of the same, already authorised, list starts.
/// </summary>
public static class Keyset
{
    /// <summary>The largest page any list returns: with long titles a page stays under 30 KB of JSON.</summary>
    public const int MaxPageSize = 50;

    public const string Field = "after";

    private const int Version = 1;

    private static readonly byte[] ChecksumKey = Encoding.UTF8.GetBytes("liaison.keyset.v1");

    /// <summary>The page size asked for, within 1..<see cref="MaxPageSize"/>.</summary>
    public static int Size(int? take, int fallback = 20) => Math.Clamp(take ?? fallback, 1, MaxPageSize);

    /// <summary>The cursor after a row whose sort key is <paramref name="key"/> (instants, ids, text, numbers, nulls).</summary>
    public static string Encode(string list, params object?[] key)
    {
        var values = key.Select(Text).ToArray();
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(Version, list, values));
        return Base64Url(payload) + "." + Base64Url(Checksum(payload));
    }

    /// <summary>The next page's cursor when the page is full (one row beyond it was read to know there is more).</summary>
    public static string? NextOf<T>(List<T> rowsPlusOne, int size, string list, Func<T, object?[]> key)
    {
        if (rowsPlusOne.Count <= size)
        {
            return null;
        }

        rowsPlusOne.RemoveRange(size, rowsPlusOne.Count - size);
        return Encode(list, key(rowsPlusOne[^1]));
    }

    /// <summary>The key a cursor holds for <paramref name="list"/>, or null for the first page; a bad cursor is a validation error.</summary>
    public static Key? Decode(string list, string? after, int arity)
    {
        if (string.IsNullOrEmpty(after))
        {
            return null;
        }

        string?[]? values = null;
        try
        {
            var dot = after.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && after.Length <= 2048)
            {
                var payload = FromBase64Url(after[..dot]);
                if (CryptographicOperations.FixedTimeEquals(Checksum(payload), FromBase64Url(after[(dot + 1)..])))
                {
                    var p = JsonSerializer.Deserialize<Payload>(payload);
                    values = p is { V: Version } && p.L == list && p.K?.Length == arity ? p.K : null;
                }
            }
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            values = null;
        }

        return values is null ? throw Invalid("is not a cursor of this list (take it from the previous page's 'next')") : new Key(values);
    }

    private static ValidationFailedException Invalid(string message) => new([new FieldError(Field, message)]);

    private static string? Text(object? value) => value switch
    {
        null => null,
        DateTimeOffset instant => instant.UtcTicks.ToString(CultureInfo.InvariantCulture),
        Guid id => id.ToString("N"),
        string s => s,
        bool b => b ? "1" : "0",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"a sort key cannot hold {value.GetType().Name}", nameof(value)),
    };

    private static byte[] Checksum(byte[] payload) => HMACSHA256.HashData(ChecksumKey, payload)[..12];

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    private sealed record Payload(int V, string L, string?[]? K);

    /// <summary>The decoded sort key; a value of the wrong shape is a validation error.</summary>
    public sealed class Key(string?[] values)
    {
        public bool IsNull(int i) => values[i] is null;

        public DateTimeOffset Instant(int i) =>
            long.TryParse(values[i], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
                ? new DateTimeOffset(ticks, TimeSpan.Zero)
                : throw Invalid("holds a malformed instant");

        public DateTimeOffset? NullableInstant(int i) => IsNull(i) ? null : Instant(i);

        public Guid Id(int i) => Guid.TryParseExact(values[i], "N", out var id) ? id : throw Invalid("holds a malformed id");

        public string Text(int i) => values[i] ?? throw Invalid("holds no text where text belongs");

        public int Int(int i) => int.TryParse(values[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw Invalid("holds a malformed number");

        public long Long(int i) => long.TryParse(values[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw Invalid("holds a malformed number");

        public bool Bool(int i) => values[i] switch
        {
            "1" => true,
            "0" => false,
            _ => throw Invalid("holds a malformed flag"),
        };
    }
}
