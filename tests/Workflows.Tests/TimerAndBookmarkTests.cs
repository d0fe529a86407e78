using System.Text.Json.Nodes;

using Liaison.Workflows.Definitions;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Time;

using static Liaison.Workflows.Tests.Flow;

namespace Liaison.Workflows.Tests;

public sealed class TimerAndBookmarkTests
{
    private static readonly DateTimeOffset Friday = new(2025, 1, 10, 9, 0, 0, TimeSpan.Zero);

    private static WorkflowDefinition Wait(string type, params (string, InputValue)[] inputs) =>
        new Flow().Act("start", "Start").Act("wait", type, inputs).Line("after", "after").Connect("start", "wait").Connect("wait", "after").Build();

    [Fact]
    public void Delay_creates_a_timer_and_fires_only_when_due()
    {
        var (runner, time) = Clock.Runner();
        var d = Wait("Delay", ("duration", L("P3D")));

        var started = runner.Start(d);
        var timer = Assert.Single(started.Effects.Timers);
        Assert.Equal(Clock.Monday.AddDays(3), timer.DueAt);
        Assert.Equal($"wf-timer:{started.State.Id}:{timer.BookmarkId}", timer.UniqueKey);
        Assert.Equal(WorkflowStatus.Suspended, started.Status);

        time.Advance(TimeSpan.FromDays(2));
        var early = runner.ResumeDueTimers(d, started.State);
        Assert.Empty(early.Effects.Lines);
        Assert.Equal(WorkflowStatus.Suspended, early.Status);

        time.Advance(TimeSpan.FromDays(1));
        var due = runner.ResumeDueTimers(d, early.State);
        Assert.Equal(["after"], due.Effects.Lines);
        Assert.Equal(WorkflowStatus.Finished, due.Status);
        Assert.Single(due.Effects.BookmarksConsumed);
    }

    [Theory]
    [InlineData("after", "01:30:00", "2025-01-06T10:30:00+00:00")]
    [InlineData("at", "2025-02-01T08:00:00Z", "2025-02-01T08:00:00+00:00")]
    [InlineData("cron", "0 7 * * *", "2025-01-07T07:00:00+00:00")]
    [InlineData("cron", "0 0 12 * * *", "2025-01-06T12:00:00+00:00")]
    public void Timer_computes_its_due_time(string input, string value, string expected)
    {
        var (runner, _) = Clock.Runner();

        var started = runner.Start(Wait("Timer", (input, L(value))));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Assert.Single(started.Effects.Timers).DueAt);
    }

    [Fact]
    public void Working_days_skip_the_weekend()
    {
        var (runner, _) = Clock.Runner(Friday);

        var started = runner.Start(Wait("Delay", ("duration", InputValue.Object(JsonNode.Parse("""{"amount":2,"unit":"WorkingDays"}""")))));

        Assert.Equal(new DateTimeOffset(2025, 1, 14, 9, 0, 0, TimeSpan.Zero), Assert.Single(started.Effects.Timers).DueAt);
        Assert.Equal(new DateTimeOffset(2025, 1, 13, 9, 0, 0, TimeSpan.Zero), WeekendOnlyCalendar.Instance.AddWorkingDays(Friday, 1));
    }

    [Fact]
    public void An_injected_calendar_decides_working_days()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Clock.Monday);
        var runner = new WorkflowRunner(new WorkflowRuntimeServices(null, time, new HolidayCalendar(new DateOnly(2025, 1, 7))));

        var started = runner.Start(Wait("Delay", ("duration", InputValue.Object(JsonNode.Parse("""{"amount":1,"unit":"WorkingDays"}""")))));

        Assert.Equal(Clock.Monday.AddDays(2), Assert.Single(started.Effects.Timers).DueAt);
    }

    private sealed class HolidayCalendar(DateOnly holiday) : IWorkingCalendar
    {
        public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days)
        {
            var current = start;
            while (days > 0)
            {
                current = current.AddDays(1);
                if (DateOnly.FromDateTime(current.UtcDateTime) != holiday && current.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                {
                    days--;
                }
            }

            return current;
        }
    }

    [Fact]
    public void Wait_for_event_resumes_by_name_and_correlation_key_with_the_payload()
    {
        var (runner, _) = Clock.Runner();
        var d = new Flow()
            .Act("wait", "WaitForEvent", ("eventName", L("ReplyReceived")))
            .Act("show", "WriteLine", ("text", Flow.Js("getLastResult().text")))
            .Connect("wait", "show")
            .Build();

        var started = runner.Start(d, correlationKey: "case-42");
        var bookmark = Assert.Single(started.Effects.BookmarksCreated);
        Assert.Equal(("ReplyReceived", "case-42", BookmarkKind.Event), (bookmark.EventName, bookmark.CorrelationKey, bookmark.Kind));

        Assert.Throws<WorkflowResumeException>(() => runner.PublishEvent(d, started.State, "ReplyReceived", "case-41"));
        Assert.Throws<WorkflowResumeException>(() => runner.PublishEvent(d, started.State, "OtherEvent", "case-42"));

        var resumed = runner.PublishEvent(d, started.State, "ReplyReceived", "case-42", JsonNode.Parse("""{"text":"thanks"}"""));
        Assert.Equal(["thanks"], resumed.Effects.Lines);
        Assert.Equal(WorkflowStatus.Finished, resumed.Status);
        Assert.Equal(WorkflowStatus.Suspended, started.State.Status); // the input state is never mutated
    }

    private static WorkflowDefinition Approval() => new Flow()
        .Act("task", "HumanTask",
            ("title", L("Approve the reply")),
            ("assigneeKind", L("Role")),
            ("assigneeId", L("liaison-officer")),
            ("due", InputValue.Object(JsonNode.Parse("""{"amount":3,"unit":"WorkingDays"}"""))),
            ("reminders", InputValue.Object(new JsonArray("P1D"))),
            ("outcomes", InputValue.Object(new JsonArray("Approve", "Reject"))))
        .Line("yes", "approved").Line("no", "rejected")
        .Connect("task", "yes", "Approve").Connect("task", "no", "Reject")
        .Build();

    [Fact]
    public void Human_task_requests_a_task_and_its_outcome_selects_the_port()
    {
        var (runner, _) = Clock.Runner(Friday);
        var d = Approval();

        var started = runner.Start(d);
        var request = Assert.Single(started.Effects.HumanTasks);
        Assert.Equal(AssigneeKind.Role, request.AssigneeKind);
        Assert.Equal("liaison-officer", request.AssigneeId);
        Assert.Equal(new DateTimeOffset(2025, 1, 15, 9, 0, 0, TimeSpan.Zero), request.DueAt);
        Assert.Equal([new DateTimeOffset(2025, 1, 14, 9, 0, 0, TimeSpan.Zero)], request.Reminders);
        Assert.Equal(["Approve", "Reject"], request.Outcomes);

        var rejected = runner.Resume(d, started.State, request.BookmarkId, JsonNode.Parse("""{"outcome":"Reject"}"""));
        Assert.Equal(["rejected"], rejected.Effects.Lines);
        Assert.Equal(WorkflowStatus.Finished, rejected.Status);
    }

    [Fact]
    public void A_disallowed_outcome_or_a_consumed_bookmark_is_refused()
    {
        var (runner, _) = Clock.Runner();
        var d = Approval();
        var started = runner.Start(d);
        var id = started.State.Bookmarks[0].Id;

        var bad = Assert.Throws<WorkflowResumeException>(() => runner.Resume(d, started.State, id, JsonValue.Create("Maybe")));
        Assert.Contains("Maybe", bad.Message);
        Assert.Single(started.State.Bookmarks);

        var done = runner.Resume(d, started.State, id, JsonValue.Create("Approve"));
        var again = Assert.Throws<WorkflowResumeException>(() => runner.Resume(d, done.State, id, JsonValue.Create("Approve")));
        Assert.Contains("cannot be resumed", again.Message);
    }

    [Fact]
    public void State_survives_a_json_round_trip_mid_run()
    {
        var (runner, time) = Clock.Runner();
        var d = new Flow()
            .Var("count", VariableType.Int32, 1)
            .Act("fork", "Fork", ("branches", InputValue.Object(new JsonArray("a", "b"))))
            .Act("task", "HumanTask", ("title", L("Check")))
            .Act("delay", "Delay", ("duration", L("P1D")))
            .Act("join", "Join", ("mode", L("WaitAll")))
            .Act("inc", "SetVariable", ("variable", L("count")), ("value", Flow.Js("getCount() + 1")))
            .Act("show", "WriteLine", ("text", InputValue.Liquid("count={{ count }}")))
            .Connect("fork", "task", "a").Connect("fork", "delay", "b")
            .Connect("task", "join").Connect("delay", "join").Connect("join", "inc").Connect("inc", "show")
            .Build();

        var started = runner.Start(d);
        var taskId = started.State.Bookmarks.Single(b => b.Kind == BookmarkKind.HumanTask).Id;
        var afterTask = runner.Resume(d, started.State, taskId, JsonValue.Create("Done"));
        Assert.Equal(WorkflowStatus.Suspended, afterTask.Status);
        Assert.NotEmpty(afterTask.State.Joins);

        var json = afterTask.State.ToJson();
        var restored = WorkflowInstanceState.FromJson(json);
        Assert.Equal(json, restored.ToJson());

        time.Advance(TimeSpan.FromDays(1));
        var fromOriginal = runner.ResumeDueTimers(d, afterTask.State);
        var fromRestored = runner.ResumeDueTimers(d, restored);

        Assert.Equal(["count=2"], fromOriginal.Effects.Lines);
        Assert.Equal(fromOriginal.Effects.Lines, fromRestored.Effects.Lines);
        Assert.Equal(WorkflowStatus.Finished, fromRestored.Status);
        Assert.Equal(fromOriginal.State.ToJson(), fromRestored.State.ToJson());
    }
}
