using Liaison.Domain.Common;

namespace Liaison.Host.Components.Shared;

/// <summary>
/// Lets a MudTable's pager (page numbers) drive a list paged by key: remembers the cursor each visited page starts at, so
/// next and previous cost one page each; a jump ahead walks the pages in between (each at most <see cref="Keyset.MaxPageSize"/> rows).
/// A new <c>key</c> (the filters) or page size starts over from the first page.
/// </summary>
public sealed class CursorPages
{
    private readonly List<string?> _starts = [null];
    private object? _key;
    private int _size;

    public async Task<KeysetPage<T>> LoadAsync<T>(object? key, int page, int size, Func<string?, int, Task<KeysetPage<T>>> load)
    {
        if (!Equals(key, _key) || size != _size)
        {
            (_key, _size) = (key, size);
            _starts.RemoveRange(1, _starts.Count - 1);
        }

        var i = Math.Clamp(page, 0, _starts.Count - 1);
        while (true)
        {
            var result = await load(_starts[i], size);
            if (i + 1 < _starts.Count)
            {
                _starts[i + 1] = result.Next;
            }
            else
            {
                _starts.Add(result.Next);
            }

            if (i >= page || result.Next is null)
            {
                if (result.Next is null)
                {
                    _starts.RemoveRange(i + 1, _starts.Count - i - 1);
                }

                return result;
            }

            i++;
        }
    }
}
