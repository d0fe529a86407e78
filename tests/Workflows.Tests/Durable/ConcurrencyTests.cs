using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Liaison.Domain.Persistence;
using Liaison.Testing;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Liaison.Testing.Flowcharts;

namespace Liaison.Workflows.Tests.Durable;

/// <summary>Exactly-once resumes under real contention: many callers, separate connections, one database.</summary>
public sealed class ConcurrencyTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Sixty_four_concurrent_resumes_of_one_bookmark_give_exactly_one_resume(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "race64");
        await using var host = await EngineHost.StartAsync(database);
        await host.PublishAsync(WaitForEvent("race", "Go"));
        var started = await host.EngineAsync(e => e.StartAsync("race"));
        var bookmarkId = Assert.Single(started.Bookmarks).Id;

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            try
            {
                await host.EngineAsync(e => e.ResumeAsync(bookmarkId, new JsonObject { ["caller"] = i }));
                return "resumed";
            }
            catch (WorkflowEngineException ex) when (ex.Kind == EngineErrorKind.Conflict)
            {
                return "conflict";
            }
        })).ToList();
        gate.SetResult();
        var outcomes = await Task.WhenAll(attempts);

        Assert.Equal(1, outcomes.Count(o => o == "resumed"));
        Assert.Equal(63, outcomes.Count(o => o == "conflict"));
        var journal = await host.QueriesAsync(q => q.JournalAsync(started.Instance.Id));
        Assert.Single(journal, j => j.Event == JournalEvent.Output && j.Message == "after");
        Assert.Single(journal, j => j.Event == JournalEvent.Resumed);
        Assert.Equal(InstanceStatus.Finished, (await host.QueriesAsync(q => q.GetInstanceAsync(started.Instance.Id))).Instance.Status);
    }

    [Fact]
    public async Task Thousand_suspended_instances_resumed_by_eight_workers_each_finish_exactly_once()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql, "thousand");
        await using var host = await EngineHost.StartAsync(database);
        await host.PublishAsync(WaitForEvent("bulk", "Go"));
        const int Instances = 1000;
        const int Workers = 8;

        var bookmarks = new ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Instances), new ParallelOptions { MaxDegreeOfParallelism = Workers }, async (i, _) =>
        {
            var started = await host.EngineAsync(e => e.StartAsync("bulk", correlationKey: $"c{i}"));
            bookmarks.Add(started.Bookmarks.Single().Id);
        });

        // Every worker tries every bookmark, each in its own order: 8,000 attempts, 1,000 may win.
        var all = bookmarks.ToArray();
        var wins = 0;
        var conflicts = 0;
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            foreach (var id in all.OrderBy(_ => Random.Shared.Next()))
            {
                try
                {
                    await host.EngineAsync(e => e.ResumeAsync(id, new JsonObject { ["worker"] = w }));
                    Interlocked.Increment(ref wins);
                }
                catch (WorkflowEngineException ex) when (ex.Kind == EngineErrorKind.Conflict)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        })).ToList();
        await Task.WhenAll(workers);

        Assert.Equal(Instances, wins);
        Assert.Equal(Instances * (Workers - 1), conflicts);
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
        Assert.Equal(Instances, await db.Instances.CountAsync(i => i.DefinitionId == "bulk" && i.Status == InstanceStatus.Finished));
        var afterLines = await db.Journal.Where(j => j.Event == JournalEvent.Output && j.Message == "after")
            .GroupBy(j => j.InstanceId).Select(g => g.Count()).ToListAsync();
        Assert.Equal(Instances, afterLines.Count);
        Assert.All(afterLines, count => Assert.Equal(1, count));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Concurrent_resumes_of_two_bookmarks_of_one_instance_both_land(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "forkjoin");
        await using var host = await EngineHost.StartAsync(database);
        await host.PublishAsync(Build(
            "both",
            [
                Activity("start", "Start"),
                Activity("fork", "Fork", new JsonObject { ["branches"] = Literal(new JsonArray("Left", "Right")) }),
                Activity("left", "WaitForEvent", new JsonObject { ["eventName"] = Literal("Left") }),
                Activity("right", "WaitForEvent", new JsonObject { ["eventName"] = Literal("Right") }),
                Activity("join", "Join", new JsonObject { ["mode"] = Literal("WaitAll") }),
                Activity("done", "WriteLine", new JsonObject { ["text"] = Literal("both arrived") }),
            ],
            [("start", "Done", "fork"), ("fork", "Left", "left"), ("fork", "Right", "right"), ("left", "Done", "join"), ("right", "Done", "join"), ("join", "Done", "done")]));

        for (var round = 0; round < 10; round++)
        {
            var started = await host.EngineAsync(e => e.StartAsync("both", correlationKey: $"r{round}"));
            Assert.Equal(2, started.Bookmarks.Count);
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var resumes = started.Bookmarks.Select(b => Task.Run(async () =>
            {
                await gate.Task;
                return await host.EngineAsync(e => e.ResumeAsync(b.Id));
            })).ToList();
            gate.SetResult();
            await Task.WhenAll(resumes);

            var detail = await host.QueriesAsync(q => q.GetInstanceAsync(started.Instance.Id));
            Assert.Equal(InstanceStatus.Finished, detail.Instance.Status);
            var journal = await host.QueriesAsync(q => q.JournalAsync(started.Instance.Id));
            Assert.Single(journal, j => j.Event == JournalEvent.Output && j.Message == "both arrived");
        }
    }
}
