using System.Text.Json.Nodes;
using Liaison.Domain.Calendar;
using Liaison.Workflows.Activities;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Suggestions;
using Liaison.Workflows.Time;
using Liaison.Workflows.Validation;
using Microsoft.Extensions.Time.Testing;

using static Liaison.Workflows.Tests.Flow;

namespace Liaison.Workflows.Tests.Suggestions;

public sealed class SuggestionActivityTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly ActivityRegistry Registry = SuggestionActivities.CreateRegistry();

    [Fact]
    public void Every_step_is_registered_with_a_prefix_fixed_ports_and_defaults()
    {
        var suggestionTypes = Registry.Descriptors.Where(d => d.Category == "Suggestions").Select(d => d.TypeName).ToList();
        Assert.Equal(SuggestionActivities.Steps.Count, suggestionTypes.Count);
        Assert.All(suggestionTypes, t => Assert.True(t.StartsWith("Suggestions.", StringComparison.Ordinal) || t.StartsWith("Opinions.", StringComparison.Ordinal), t));

        var receive = Registry.Get("Suggestions.Receive").Descriptor;
        Assert.Equal(["Admitted", "TurnedAway"], receive.Ports);
        Assert.False(receive.HasDynamicPorts);
        Assert.Equal("Role", receive.FindInput("assigneeKind")!.Default!.GetValue<string>());
        Assert.Equal("LiaisonOffice", receive.FindInput("assigneeId")!.Default!.GetValue<string>());

        var signFor = Registry.Get("Suggestions.SignFor").Descriptor;
        Assert.Equal(["Signed", "Returned"], signFor.Ports);
        Assert.Equal("5wd", signFor.FindInput("due")!.Default!.GetValue<string>());

        var reply = Registry.Get("Suggestions.Reply").Descriptor;
        Assert.Equal(["Replied", "ExtensionRequested"], reply.Ports);
        Assert.Equal("3m", reply.FindInput("due")!.Default!.GetValue<string>());
        Assert.Equal(["15wd", "7wd", "1wd"], ValueConversion.AsStringList(reply.FindInput("reminders")!.Default));

        var evaluation = Registry.Get("Suggestions.RequestEvaluation").Descriptor;
        Assert.Equal(["Satisfied", "BasicallySatisfied", "Dissatisfied", "NotEvaluated"], evaluation.Ports);
        Assert.Equal(["7d", "14d"], ValueConversion.AsStringList(evaluation.FindInput("remindAfter")!.Default));
        Assert.Equal("NotEvaluated", evaluation.FindInput("onDue")!.Default!.GetValue<string>());
        Assert.Equal("30d", Registry.Get("Suggestions.RequestEvaluation").Descriptor.FindInput("due")!.Default!.GetValue<string>());
        Assert.Equal("1m", Registry.Get("Suggestions.Rehandle").Descriptor.FindInput("due")!.Default!.GetValue<string>());
        Assert.Equal("20wd", Registry.Get("Suggestions.Publish").Descriptor.FindInput("due")!.Default!.GetValue<string>());
        var approve = Registry.Get("Suggestions.ApproveReply").Descriptor;
        Assert.Equal(("UnitRole", "UnitHead"), (approve.FindInput("assigneeKind")!.Default!.GetValue<string>(), approve.FindInput("assigneeRole")!.Default!.GetValue<string>()));
        Assert.Equal(["Approved", "Returned"], approve.Task!.Outcomes.Select(o => o.Name));
        Assert.True(approve.Task.Outcome("Returned")!.Fields.Single(f => f.Name == "reason").Required);
        Assert.Equal("opinionId", Registry.Get("Opinions.Reply").Descriptor.Inputs[2].Name);
    }

    [Fact]
    public void Bad_periods_unknown_ports_and_variables_are_reported()
    {
        var d = new Flow()
            .Act("sign", "Suggestions.SignFor", ("assigneeId", L("unit-1")), ("due", L("5 weeks")), ("reminders", InputValue.Object(new JsonArray("1wd", "soon"))), ("resultVariable", InputValue.Literal("Missing")))
            .Line("ok", "ok")
            .Connect("sign", "ok", "Accepted")
            .Build();

        var problems = new WorkflowValidator(Registry).Validate(d);

        Assert.Contains(problems, p => p.ActivityId == "sign" && p.InputName == "due" && p.Code == ValidationCodes.InvalidDuration);
        Assert.Contains(problems, p => p.ActivityId == "sign" && p.InputName == "reminders" && p.Message.Contains("soon", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.ActivityId == "sign" && p.InputName == "resultVariable" && p.Code == ValidationCodes.UnknownVariable);
        Assert.Contains(problems, p => p.Message.Contains("Accepted", StringComparison.Ordinal));

        var good = new Flow().Act("sign", "Suggestions.SignFor", ("assigneeId", L("unit-1")), ("due", L("3wd"))).Line("ok", "ok").Connect("sign", "ok", "Signed").Build();
        Assert.Empty(new WorkflowValidator(Registry).Validate(good));
    }

    [Fact]
    public void A_five_working_day_deadline_skips_national_day_and_counts_the_make_up_saturday()
    {
        // Wednesday 30 September 2026: 1–7 October are holidays, Saturday 10 October is worked.
        var start = new DateTimeOffset(2026, 9, 30, 10, 0, 0, China);
        var domainCalendar = new FixedDomainCalendar(new WorkingCalendar(ChinaCalendar2026.Days));

        var withHolidays = SignForTask(start, domainCalendar);
        var weekendsOnly = SignForTask(start, WeekendOnlyCalendar.Instance);

        // 8, 9, 10 (make-up), 12, 13 October: due at the end of Tuesday 13 October, China time.
        Assert.Equal(new DateTimeOffset(2026, 10, 14, 0, 0, 0, China), withHolidays.DueAt);
        Assert.Equal([new DateTimeOffset(2026, 10, 13, 0, 0, 0, China)], withHolidays.Reminders);
        Assert.Equal(new DateTimeOffset(2026, 10, 8, 0, 0, 0, China), weekendsOnly.DueAt);
        Assert.Equal(domainCalendar.Calendar.AddWorkingDays(new DateOnly(2026, 9, 30), 5), new DateOnly(2026, 10, 13));
    }

    [Fact]
    public void Task_data_names_the_suggestion_and_the_completion_data_lands_in_the_result_variable()
    {
        var d = new Flow()
            .Var("Assignment", VariableType.Object)
            .Act("assign", "Suggestions.Assign", ("resultVariable", InputValue.Literal("Assignment")), ("data", InputValue.Object(new JsonObject { ["hint"] = "transport" })))
            .Act("sign", "Suggestions.SignFor", ("assigneeId", Js("getAssignment().lead.unitId")), ("unitTaskId", Js("getAssignment().lead.taskId")))
            .Connect("assign", "sign", "Assigned")
            .Build();
        var (runner, _) = Clock.Runner(registry: Registry);

        var started = runner.Start(d, correlationKey: "suggestion-42");
        var task = Assert.Single(started.Effects.HumanTasks);
        Assert.Equal((AssigneeKind.Role, "LiaisonOffice"), (task.AssigneeKind!.Value, task.AssigneeId!));
        Assert.Equal(["Assigned"], task.Outcomes);
        Assert.Equal("suggestion-42", task.Data!["suggestionId"]!.GetValue<string>());
        Assert.Equal("transport", task.Data["hint"]!.GetValue<string>());
        Assert.Equal("Suggestions.Assign", task.Data["step"]!.GetValue<string>());

        var payload = new JsonObject { ["outcome"] = "Assigned", ["data"] = new JsonObject { ["lead"] = new JsonObject { ["unitId"] = "unit-7", ["taskId"] = "task-9" } } };
        var resumed = runner.Resume(d, started.State, task.BookmarkId, payload);

        var sign = Assert.Single(resumed.Effects.HumanTasks);
        Assert.Equal((AssigneeKind.Unit, "unit-7"), (sign.AssigneeKind!.Value, sign.AssigneeId!));
        Assert.Equal("task-9", sign.Data!["unitTaskId"]!.GetValue<string>());
        Assert.Equal(["Signed", "Returned"], sign.Outcomes);
        Assert.Throws<WorkflowResumeException>(() => runner.Resume(d, resumed.State, sign.BookmarkId, JsonValue.Create("Accepted")));
    }

    private static HumanTaskRequest SignForTask(DateTimeOffset start, IWorkingCalendar calendar)
    {
        var d = new Flow().Act("sign", "Suggestions.SignFor", ("assigneeId", L("unit-1")), ("reminders", InputValue.Object(new JsonArray("1wd")))).Build();
        var runner = new WorkflowRunner(new WorkflowRuntimeServices(Registry, new FakeTimeProvider(start), calendar));
        return Assert.Single(runner.Start(d, correlationKey: "s-1").Effects.HumanTasks);
    }
}
