using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Domain.Reporting;
using Liaison.Domain.Suggestions;
using Liaison.Testing;

namespace Liaison.Domain.Tests.Suggestions;

/// <summary>Lists paged by key: every row once, in order, while rows are inserted between pages; a cursor that is not one is refused.</summary>
public sealed class KeysetPagingTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Paging_the_suggestions_returns_each_row_once_in_order_while_rows_are_inserted(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "keyset-suggestions");
        // Ties on the sort key (several at the same instant) are broken by id.
        for (var i = 0; i < 13; i++)
        {
            await s.SubmitAsync($"建议 {i}");
            if (i % 3 == 2)
            {
                s.Clock.Advance(TimeSpan.FromMinutes(1));
            }
        }

        var all = (await s.Ask(new GetSuggestions(Take: 50))).Items.Select(x => x.Id).ToList();
        Assert.Equal(13, all.Count);

        var seen = new List<Guid>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await s.Ask(new GetSuggestions(After: after, Take: 4));
            Assert.InRange(page.Items.Count, 1, 4);
            seen.AddRange(page.Items.Select(x => x.Id));
            after = page.Next;
            pages++;

            // Newer suggestions arrive between pages (at the front of the list, before every cursor) and at the same instant.
            await s.SubmitAsync($"新建议 {pages}");
            s.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        while (after is not null);

        Assert.Equal(all, seen);
        Assert.Equal(4, pages);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Paging_an_inbox_returns_each_task_once_in_order_while_tasks_are_added(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "keyset-inbox");
        for (var i = 0; i < 7; i++)
        {
            await s.AssignedAsync($"建议 {i}");
            if (i % 2 == 1)
            {
                s.Clock.Advance(TimeSpan.FromDays(1)); // later due dates, and ties within a day
            }
        }

        var before = (await s.Ask(new GetUnitInbox(s.Unit))).Items.Select(i => (i.DueAt, i.TaskId)).ToList();
        Assert.Equal(7, before.Count);

        var seen = new List<(DateTimeOffset DueAt, Guid TaskId)>();
        string? after = null;
        do
        {
            var page = await s.Ask(new GetUnitInbox(s.Unit, after, 3));
            seen.AddRange(page.Items.Select(i => (i.DueAt, i.TaskId)));
            after = page.Next;

            // A task assigned meanwhile is due later than every task seen: it may show up after them, never twice.
            await s.AssignedAsync("新建议");
        }
        while (after is not null);

        Assert.Equal(before, seen.Where(before.Contains));
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(seen.OrderBy(x => x.DueAt).ToList().Select(x => x.DueAt), seen.Select(x => x.DueAt));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_cursor_that_was_not_given_out_for_this_list_is_a_validation_error(DatabaseProvider provider)
    {
        await using var s = await Scenario.CreateAsync(provider, "keyset-tampered");
        for (var i = 0; i < 3; i++)
        {
            await s.AssignedAsync($"建议 {i}");
        }

        var next = (await s.Ask(new GetUnitInbox(s.Unit, null, 1))).Next!;
        var suggestionsNext = (await s.Ask(new GetSuggestions(Take: 1))).Next!;
        var flipped = next[..5] + (next[5] == 'A' ? 'B' : 'A') + next[6..];
        foreach (var bad in new[] { "x", "not.a-cursor", flipped, next + "A", suggestionsNext, next.Replace('.', '_') })
        {
            var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => s.Ask(new GetUnitInbox(s.Unit, bad, 1)));
            Assert.Equal(Keyset.Field, Assert.Single(refused.Errors).Field);
        }

        Assert.Single((await s.Ask(new GetUnitInbox(s.Unit, next, 1))).Items);
    }
}
