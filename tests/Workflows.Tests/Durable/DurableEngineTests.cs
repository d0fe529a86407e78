using System.Text.Json.Nodes;
using Liaison.Domain.Common;
using Liaison.Domain.Persistence;
using Liaison.Testing;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Liaison.Testing.Flowcharts;

namespace Liaison.Workflows.Tests.Durable;

/// <summary>The durable engine on both providers: every state change persisted, bookmarks resumed once.</summary>
public sealed class DurableEngineTests
{
    private static string HumanTaskFlow(string id) => Build(
        id,
        [
            Activity("start", "Start"),
            Activity("review", "HumanTask", new JsonObject
            {
                ["title"] = Literal("审核建议"),
                ["assigneeKind"] = Literal("Unit"),
                ["assigneeId"] = Literal("unit-42"),
                ["due"] = Literal(new JsonObject { ["amount"] = 5, ["unit"] = "WorkingDays" }),
                ["outcomes"] = Literal(new JsonArray("Accept", "Return")),
            }),
            Activity("accepted", "WriteLine", new JsonObject { ["text"] = Literal("accepted") }),
            Activity("returned", "WriteLine", new JsonObject { ["text"] = Literal("returned") }),
        ],
        [("start", "Done", "review"), ("review", "Accept", "accepted"), ("review", "Return", "returned")]);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Event_bookmark_suspends_persists_and_resumes_once(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "event");
        await using var host = await EngineHost.StartAsync(database);
        await host.PublishAsync(WaitForEvent("approval", "Approved"));

        var started = await host.EngineAsync(e => e.StartAsync("approval", correlationKey: "case-1"));
        Assert.Equal(InstanceStatus.Suspended, started.Instance.Status);
        Assert.Equal(["before"], started.Lines);
        var bookmark = Assert.Single(started.Bookmarks);
        Assert.Equal("Approved", bookmark.EventName);

        var noMatch = await host.EngineAsync(e => e.PublishEventAsync("Approved", "case-2"));
        Assert.Empty(noMatch);

        var resumed = await host.EngineAsync(e => e.PublishEventAsync("Approved", "case-1", new JsonObject { ["by"] = "张三" }));
        var result = Assert.Single(resumed);
        Assert.Equal(InstanceStatus.Finished, result.Instance.Status);
        Assert.Equal(["after"], result.Lines);

        var again = await Assert.ThrowsAsync<WorkflowEngineException>(() => host.EngineAsync(e => e.ResumeAsync(bookmark.Id)));
        Assert.Equal(EngineErrorKind.Conflict, again.Kind);
        Assert.Contains("already resumed", again.Message, StringComparison.Ordinal);

        var journal = await host.QueriesAsync(q => q.JournalAsync(started.Instance.Id));
        Assert.Equal(["before", "after"], journal.Where(j => j.Event == JournalEvent.Output).Select(j => j.Message));
        Assert.Contains(journal, j => j.ActivityId == "wait" && j.Event == JournalEvent.Resumed);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Human_task_is_listed_for_its_unit_and_its_outcome_chooses_the_port(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "task");
        await using var host = await EngineHost.StartAsync(database);
        await host.PublishAsync(HumanTaskFlow("review"));

        var started = await host.EngineAsync(e => e.StartAsync("review"));
        var inbox = await host.QueriesAsync(q => q.ListTasksAsync(new TaskFilter("Unit", "unit-42")));
        var task = Assert.Single(inbox.Items);
        Assert.Equal("审核建议", task.Title);
        Assert.Equal(["Accept", "Return"], task.Outcomes);
        Assert.Equal(FakeClock.DefaultStart.AddDays(7), task.DueAt); // Monday + 5 working days = next Monday

        var user1 = new ActingUser("id-1", "user-1", ["UnitHandler"], ["unit-42"], [], []);
        var outsider = new ActingUser("id-3", "user-3", ["UnitHandler"], ["unit-7"], [], []);
        var wrong = await Assert.ThrowsAsync<ValidationFailedException>(() => host.CompleteAsync(task.Id, "Ignore", null, user1));
        Assert.Equal("outcome", Assert.Single(wrong.Errors).Field);
        var notTheirs = await Assert.ThrowsAsync<WorkflowEngineException>(() => host.CompleteAsync(task.Id, "Accept", null, outsider));
        Assert.Equal(EngineErrorKind.NotFound, notTheirs.Kind);
        var dirty = await Assert.ThrowsAsync<ValidationFailedException>(() => host.CompleteAsync(task.Id, "return", new JsonObject { ["reason"] = "坏\u0000字" }, user1));
        Assert.Equal("data.reason", Assert.Single(dirty.Errors).Field);

        var done = (await host.CompleteAsync(task.Id, "return", new JsonObject { ["reason"] = "不属于本单位职责" }, user1)).Workflow;
        Assert.Equal(["returned"], done.Lines);
        Assert.Equal(InstanceStatus.Finished, done.Instance.Status);

        var twice = await Assert.ThrowsAsync<WorkflowEngineException>(() => host.CompleteAsync(task.Id, "Accept", null, user1 with { UserId = "id-2", Name = "user-2" }));
        Assert.Equal(EngineErrorKind.Conflict, twice.Kind);
        var stored = await host.QueriesAsync(q => q.GetTaskAsync(task.Id));
        Assert.Equal(("Return", "user-1"), (stored.Outcome, stored.CompletedBy));
        Assert.Empty((await host.QueriesAsync(q => q.ListTasksAsync(new TaskFilter("Unit", "unit-42")))).Items);
        _ = started;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Durable_timer_fires_once_when_due_and_the_sweep_catches_it(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "timer");
        await using var host = await EngineHost.StartAsync(database);
        await host.PublishAsync(Build(
            "delay",
            [
                Activity("start", "Start"),
                Activity("wait", "Delay", new JsonObject { ["duration"] = Literal(new JsonObject { ["amount"] = 2, ["unit"] = "WorkingDays" }) }),
                Activity("done", "WriteLine", new JsonObject { ["text"] = Literal("woke up") }),
            ],
            [("start", "Done", "wait"), ("wait", "Done", "done")]));

        var started = await host.EngineAsync(e => e.StartAsync("delay"));
        Assert.Equal(InstanceStatus.Suspended, started.Instance.Status);
        var (timerId, dueAt) = Assert.Single(await host.EngineAsync(e => e.PendingTimersAsync()));
        Assert.Equal(FakeClock.DefaultStart.AddDays(2), dueAt);

        Assert.False(await host.EngineAsync(e => e.FireTimerAsync(timerId)), "a job that runs early fires nothing");
        host.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await host.EngineAsync(e => e.SweepDueTimersAsync()));

        host.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await host.EngineAsync(e => e.SweepDueTimersAsync()));
        Assert.Equal(0, await host.EngineAsync(e => e.SweepDueTimersAsync()));
        Assert.False(await host.EngineAsync(e => e.FireTimerAsync(timerId)), "the delayed job arriving after the sweep fires nothing");

        var detail = await host.QueriesAsync(q => q.GetInstanceAsync(started.Instance.Id));
        Assert.Equal(InstanceStatus.Finished, detail.Instance.Status);
        var journal = await host.QueriesAsync(q => q.JournalAsync(started.Instance.Id));
        Assert.Single(journal, j => j.Event == JournalEvent.Output && j.Message == "woke up");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Instance_started_on_version_1_finishes_on_version_1_after_version_2_is_published(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "versions");
        await using var host = await EngineHost.StartAsync(database);
        var v1 = await host.PublishAsync(WaitForEvent("loop", "Go", after: "v1 after"));
        var first = await host.EngineAsync(e => e.StartAsync("loop", correlationKey: "a"));

        var v2 = await host.PublishAsync(WaitForEvent("loop", "Go", after: "v2 after"));
        Assert.Equal((1, 2), (v1.Version, v2.Version));
        var second = await host.EngineAsync(e => e.StartAsync("loop", correlationKey: "b"));
        Assert.Equal(2, second.Instance.Version);

        var firstDone = Assert.Single(await host.EngineAsync(e => e.PublishEventAsync("Go", "a")));
        var secondDone = Assert.Single(await host.EngineAsync(e => e.PublishEventAsync("Go", "b")));
        Assert.Equal((1, "v1 after"), (firstDone.Instance.Version, firstDone.Lines.Single()));
        Assert.Equal((2, "v2 after"), (secondDone.Instance.Version, secondDone.Lines.Single()));
        _ = first;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Versions_draft_publish_retract_and_roll_back(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "history");
        await using var host = await EngineHost.StartAsync(database);
        await host.PublishAsync(WaitForEvent("flow", "Go", after: "one"));

        // Editing a published workflow opens draft v2; saving again updates that same draft.
        var draft = await host.StoreAsync(s => s.SaveDraftAsync(Definitions.WorkflowDefinitionSerializer.Read(WaitForEvent("flow", "Go", after: "two")), "studio"));
        Assert.Equal((2, DefinitionStatus.Draft), (draft.Version, draft.Status));
        var again = await host.StoreAsync(s => s.SaveDraftAsync(Definitions.WorkflowDefinitionSerializer.Read(WaitForEvent("flow", "Go", after: "two!")), "studio", draft.Revision));
        Assert.Equal(2, again.Version);
        var stale = await Assert.ThrowsAsync<WorkflowEngineException>(() =>
            host.StoreAsync(s => s.SaveDraftAsync(Definitions.WorkflowDefinitionSerializer.Read(WaitForEvent("flow", "Go")), "studio", draft.Revision)));
        Assert.Equal(EngineErrorKind.Conflict, stale.Kind);

        // New instances still start on v1 until v2 is published.
        Assert.Equal(1, (await host.EngineAsync(e => e.StartAsync("flow"))).Instance.Version);
        await host.StoreAsync(s => s.PublishAsync("flow"));
        Assert.Equal(2, (await host.EngineAsync(e => e.StartAsync("flow"))).Instance.Version);

        var rolledBack = await host.StoreAsync(s => s.RollbackAsync("flow", 1));
        Assert.Equal((3, "rollback:1"), (rolledBack.Version, rolledBack.Source));
        var (_, copy) = await host.StoreAsync(s => s.GetAsync("flow", 3));
        Assert.Contains("\"one\"", Definitions.WorkflowDefinitionSerializer.Write(copy), StringComparison.Ordinal);

        await host.StoreAsync(s => s.RetractAsync("flow"));
        var refused = await Assert.ThrowsAsync<WorkflowEngineException>(() => host.EngineAsync(e => e.StartAsync("flow")));
        Assert.Equal(EngineErrorKind.Conflict, refused.Kind);

        var history = await host.StoreAsync(s => s.HistoryAsync("flow"));
        Assert.Equal([3, 2, 1], history.Select(h => h.Version));
        Assert.Equal([DefinitionStatus.Draft, DefinitionStatus.Retracted, DefinitionStatus.Published], history.Select(h => h.Status));
        Assert.DoesNotContain(history, h => h.IsPublished);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Invalid_definition_is_saved_as_draft_but_never_published_or_run(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "invalid");
        await using var host = await EngineHost.StartAsync(database);
        var broken = Build(
            "broken",
            [
                Activity("start", "Start"),
                Activity("decide", "Decision", new JsonObject { ["condition"] = Script("return (;") }),
                Activity("nowhere", "NoSuchActivity"),
                Activity("print", "WriteLine"),
            ],
            [("start", "Done", "decide"), ("decide", "Maybe", "print")]);

        var draft = await host.StoreAsync(s => s.SaveDraftAsync(Definitions.WorkflowDefinitionSerializer.Read(broken)));
        var error = await Assert.ThrowsAsync<WorkflowEngineException>(() => host.StoreAsync(s => s.PublishAsync("broken")));

        Assert.Equal(EngineErrorKind.Invalid, error.Kind);
        var codes = error.Problems.Select(p => p.Code).ToHashSet();
        Assert.Superset(new HashSet<string> { "JavaScriptSyntax", "UnknownActivityType", "UnknownPort", "MissingRequiredInput" }, codes);
        Assert.Equal(DefinitionStatus.Draft, (await host.StoreAsync(s => s.HistoryAsync("broken"))).Single().Status);
        var start = await Assert.ThrowsAsync<WorkflowEngineException>(() => host.EngineAsync(e => e.StartAsync("broken")));
        Assert.Equal(EngineErrorKind.Conflict, start.Kind);
        _ = draft;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Shipped_files_publish_once_and_again_only_when_changed(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "files");
        await using var host = await EngineHost.StartAsync(database);
        var folder = Directory.CreateTempSubdirectory("liaison-wf-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "approval.json"), WaitForEvent("approval", "Approved"));
        await File.WriteAllTextAsync(Path.Combine(folder, "broken.json"), "{ not json");

        var first = await host.StoreAsync(s => s.LoadDirectoryAsync(folder));
        Assert.Equal("published", first.Single(o => o.File == "approval.json").Outcome);
        Assert.StartsWith("unreadable", first.Single(o => o.File == "broken.json").Outcome, StringComparison.Ordinal);

        var second = await host.StoreAsync(s => s.LoadDirectoryAsync(folder));
        Assert.Equal(("unchanged", 1), (second.Single(o => o.File == "approval.json").Outcome, second.Single(o => o.File == "approval.json").Version));

        await File.WriteAllTextAsync(Path.Combine(folder, "approval.json"), WaitForEvent("approval", "Approved", after: "changed"));
        var third = await host.StoreAsync(s => s.LoadDirectoryAsync(folder));
        Assert.Equal(("published", 2), (third.Single(o => o.File == "approval.json").Outcome, third.Single(o => o.File == "approval.json").Version));
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_changed_shipped_file_does_not_override_what_a_designer_published_or_drafted(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "seed");
        await using var host = await EngineHost.StartAsync(database);
        var folder = Directory.CreateTempSubdirectory("liaison-wf-").FullName;
        var path = Path.Combine(folder, "approval.json");
        await File.WriteAllTextAsync(path, WaitForEvent("approval", "Approved"));
        await host.StoreAsync(s => s.LoadDirectoryAsync(folder));

        // A designer publishes v2; the file then changes: the database wins, and says why.
        await host.StoreAsync(async s =>
        {
            await s.SaveDraftAsync(Definitions.WorkflowDefinitionSerializer.Read(WaitForEvent("approval", "Approved", after: "designer")), "studio", null, "designer1");
            return await s.PublishAsync("approval", null, "designer1", "改了结尾", CancellationToken.None);
        });
        await File.WriteAllTextAsync(path, WaitForEvent("approval", "Approved", after: "file v2"));
        var kept = (await host.StoreAsync(s => s.LoadDirectoryAsync(folder))).Single();
        Assert.Equal(2, kept.Version);
        Assert.StartsWith("kept", kept.Outcome, StringComparison.Ordinal);
        Assert.Contains("designer1", kept.Outcome, StringComparison.Ordinal);
        var history = await host.StoreAsync(s => s.HistoryAsync("approval"));
        Assert.Equal((2, "designer1", "改了结尾"), (history[0].Version, history[0].PublishedBy, history[0].PublishNote));

        // An open draft is not overwritten either.
        await host.StoreAsync(s => s.SaveDraftAsync(Definitions.WorkflowDefinitionSerializer.Read(WaitForEvent("approval", "Approved", after: "draft")), "studio", null, "designer2"));
        await File.WriteAllTextAsync(path, WaitForEvent("approval", "Approved", after: "file v3"));
        var draftKept = (await host.StoreAsync(s => s.LoadDirectoryAsync(folder))).Single();
        Assert.StartsWith("kept", draftKept.Outcome, StringComparison.Ordinal);
        var latest = await host.StoreAsync(s => s.GetAsync("approval"));
        Assert.Equal((3, "designer2"), (latest.Info.Version, latest.Info.UpdatedBy));
        Assert.Contains("draft", Definitions.WorkflowDefinitionSerializer.Write(latest.Definition), StringComparison.Ordinal);
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Faulted_activity_records_an_incident_and_can_be_retried(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "fault");
        await using var host = await EngineHost.StartAsync(database);
        var flow = Build(
            "flaky",
            [
                Activity("start", "Start"),
                Activity("check", "Decision", new JsonObject { ["condition"] = Script("if (getVariable('Ready') !== true) throw new Error('依赖服务不可用'); return true;") }),
                Activity("ok", "WriteLine", new JsonObject { ["text"] = Literal("ok") }),
            ],
            [("start", "Done", "check"), ("check", "True", "ok")],
            [new JsonObject { ["name"] = "Ready", ["type"] = "boolean", ["default"] = false }]);
        await host.PublishAsync(flow);

        var started = await host.EngineAsync(e => e.StartAsync("flaky"));
        Assert.Equal(InstanceStatus.Faulted, started.Instance.Status);
        var detail = await host.QueriesAsync(q => q.GetInstanceAsync(started.Instance.Id));
        var incident = Assert.Single(detail.Incidents);
        Assert.Contains("依赖服务不可用", incident.Message, StringComparison.Ordinal);

        // The operator fixes the cause (here: the variable) and retries the activity.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
            var row = await db.Instances.SingleAsync(i => i.Id == started.Instance.Id);
            var state = Runtime.WorkflowInstanceState.FromJson(row.StateJson);
            state.Variables["Ready"] = true;
            row.StateJson = state.ToJson();
            await db.SaveChangesAsync();
        }

        var retried = await host.EngineAsync(e => e.RetryAsync(started.Instance.Id));
        Assert.Equal(InstanceStatus.Finished, retried.Instance.Status);
        Assert.Equal(["ok"], retried.Lines);
        Assert.NotNull((await host.QueriesAsync(q => q.GetInstanceAsync(started.Instance.Id))).Incidents.Single().ResolvedAt);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Runaway_script_faults_its_instance_quickly_and_others_keep_running(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "runaway");
        await using var host = await EngineHost.StartAsync(database);
        await host.PublishAsync(Build(
            "spin",
            [Activity("start", "Start"), Activity("decide", "Decision", new JsonObject { ["condition"] = Script("while(true){}") })],
            [("start", "Done", "decide")]));
        await host.PublishAsync(WaitForEvent("healthy", "Go"));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var spinning = host.EngineAsync(e => e.StartAsync("spin"));
        var healthy = await host.EngineAsync(e => e.StartAsync("healthy", correlationKey: "h"));
        var spun = await spinning;
        watch.Stop();

        Assert.Equal(InstanceStatus.Faulted, spun.Instance.Status);
        Assert.Contains("time limit", spun.Fault, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Equal(InstanceStatus.Suspended, healthy.Instance.Status);
        Assert.Equal(InstanceStatus.Finished, Assert.Single(await host.EngineAsync(e => e.PublishEventAsync("Go", "h"))).Instance.Status);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Cancelling_closes_bookmarks_tasks_and_timers(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "cancel");
        await using var host = await EngineHost.StartAsync(database);
        await host.PublishAsync(HumanTaskFlow("cancel-me"));
        var started = await host.EngineAsync(e => e.StartAsync("cancel-me"));

        var cancelled = await host.EngineAsync(e => e.CancelAsync(started.Instance.Id));
        Assert.Equal(InstanceStatus.Cancelled, cancelled.Instance.Status);
        var tasks = await host.QueriesAsync(q => q.ListTasksAsync(new TaskFilter(Status: null, InstanceId: started.Instance.Id)));
        Assert.Equal(HumanTaskStatus.Cancelled, Assert.Single(tasks.Items).Status);
        var twice = await Assert.ThrowsAsync<WorkflowEngineException>(() => host.EngineAsync(e => e.CancelAsync(started.Instance.Id)));
        Assert.Equal(EngineErrorKind.Conflict, twice.Kind);
    }
}
