using System.Text.Json;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Workflows.Durable;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Liaison.Host.Api;

/// <summary>
/// Keeps every paged API answer within <see cref="MaxBytes"/> of JSON: a page of up to 50 rows with long titles (300
/// Chinese characters) would not fit, so the page is cut after the last row that fits and its <c>next</c> points past
/// that row. The rows' own cursors make the cut exact: nothing is skipped, nothing repeats.
/// </summary>
public sealed class ApiPages(IOptions<JsonOptions> json)
{
    /// <summary>30 KB, the answer's envelope (next, total, take) included.</summary>
    public const int MaxBytes = 30 * 1024;

    /// <summary>Room kept for the envelope around the rows: the cursor (at most ~200 bytes), the total and the property names.</summary>
    private const int Envelope = 512;

    public KeysetPage<T> Fit<T>(KeysetPage<T> page) =>
        Cut(page.Items, page.CursorOf) is { } cut ? page with { Items = cut.Items, Next = cut.Next } : page;

    public Page<T> Fit<T>(Page<T> page) =>
        Cut(page.Items, page.CursorOf) is { } cut ? page with { Items = cut.Items, Next = cut.Next } : page;

    public SupervisionBoard Fit(SupervisionBoard board) =>
        Cut(board.Items, board.CursorOf) is { } cut ? board with { Items = cut.Items, Next = cut.Next } : board;

    /// <summary>The rows that fit and the cursor after the last of them; null when the whole page fits.</summary>
    private (IReadOnlyList<T> Items, string Next)? Cut<T>(IReadOnlyList<T> items, Func<T, string>? cursorOf)
    {
        if (cursorOf is null)
        {
            return null;
        }

        var used = Envelope;
        for (var i = 0; i < items.Count; i++)
        {
            used += JsonSerializer.SerializeToUtf8Bytes(items[i], json.Value.SerializerOptions).Length + 1;
            if (used > MaxBytes)
            {
                // At least one row, whatever its size (a single row is bounded by the columns' maximum lengths).
                var keep = Math.Max(1, i);
                return keep >= items.Count ? null : (items.Take(keep).ToList(), cursorOf(items[keep - 1]));
            }
        }

        return null;
    }
}
