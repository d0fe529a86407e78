using System.Globalization;
using System.Text.Json.Nodes;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Opinions;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Suggestions;
using Liaison.Workflows.Tasks;
using Mediator;

namespace Liaison.Host.Demo;

/// <summary>Where a demo suggestion's history stops: the step it then waits at (or how it ended).</summary>
internal enum DemoStop
{
    Receive, TurnedAway, Analyse, LeaderReview, Assign, SignFor, Reassign, Consult, CoOpinion, Reply, DecideExtension, Approve, Evaluate, Rehandle, FollowUp, Publish, Closed,
}

/// <summary>One demo suggestion: where it stops, when it began, its units and how it was answered.</summary>
internal sealed record DemoScenario(
    DemoStop Stop,
    int DaysAgo,
    string Unit,
    string? CoUnit = null,
    bool Key = false,
    bool ByDemoDeputy = false,
    ReplyCategory Category = ReplyCategory.A,
    EvaluationResult Evaluation = EvaluationResult.Satisfied,
    bool PublicInterest = false,
    int ReplyAfterDays = 20,
    bool RehandledFirst = false);

/// <summary>
/// Replays demo suggestions and opinions through the published workflows: each is submitted and started
/// as a deputy would, then every task is acted on through <see cref="TaskCompletion"/> by the user whose task
/// it is, on a <see cref="ReplayableClock"/> turned back to when it happened. So each demo user signs in to
/// tasks that are really theirs, at their true step, with deadlines that are due, near or passed.
/// </summary>
internal sealed class DemoHistory(IServiceScopeFactory scopes, ReplayableClock clock, DemoCast cast, Random random)
{
    public async Task ReplayAsync(DemoScenario scenario, string title, string text, string field, Guid leadDeputy, IReadOnlyList<Guid> coSigners, CancellationToken ct)
    {
        using var replay = clock.Begin(clock.GetUtcNow().AddDays(-scenario.DaysAgo).AddHours(-random.Next(0, 8)));
        var unit = cast.UnitId(scenario.Unit);
        var coUnit = scenario.CoUnit is null ? (Guid?)null : cast.UnitId(scenario.CoUnit);

        var suggestion = await StartAsync(
            SuggestionWorkflows.SuggestionHandling,
            (sender, token) => sender.Send(new SubmitSuggestion(16, replay.Now.ToOffset(DemoCast.Beijing).Year, title, text, SuggestionSource.BetweenSessions, leadDeputy, coSigners, cast.DeputyActor(leadDeputy)), token),
            id => new() { ["suggestionId"] = id.ToString(), ["leadDeputyId"] = leadDeputy.ToString() },
            ct);
        var key = suggestion.ToString();
        Step(replay);
        if (scenario.Stop == DemoStop.Receive)
        {
            // Still waiting for the office: the co-signers have not answered yet (联名确认 pending).
            return;
        }

        // Before the office decides, every co-signer confirms, as they would have.
        foreach (var coSigner in coSigners)
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ConfirmCoSignature(suggestion, coSigner, cast.DeputyActor(coSigner)), ct);
        }

        if (scenario.Stop == DemoStop.TurnedAway)
        {
            await DoAsync(key, "receive", "TurnedAway", new() { ["reason"] = "PersonalOrRelativesMatter", ["note"] = "属于个人诉求，已告知代表通过信访渠道反映" }, cast.Office, null, ct);
            return;
        }

        await DoAsync(key, "receive", "Admitted", null, cast.Office, null, ct);
        Step(replay);
        if (scenario.Stop == DemoStop.Analyse)
        {
            return;
        }

        await DoAsync(
            key,
            "analyse",
            scenario.Key ? "Key" : "Ordinary",
            scenario.Key ? new() { ["field"] = field, ["leadingLeaderId"] = cast.Leader.ToString(), ["supervisingLeaderId"] = cast.Leader.ToString() } : new() { ["field"] = field },
            cast.Office,
            null,
            ct);
        Step(replay);
        if (scenario.Key)
        {
            if (scenario.Stop == DemoStop.LeaderReview)
            {
                return;
            }

            await DoAsync(key, "leaderReview", "Endorsed", new() { ["instruction"] = "请承办单位主要负责人亲自研究，按期答复代表" }, cast.LeaderUser, null, ct);
            Step(replay);
        }

        if (scenario.Stop == DemoStop.Assign)
        {
            return;
        }

        var units = coUnit is { } co ? new JsonArray(unit.ToString(), co.ToString()) : new JsonArray(unit.ToString());
        await DoAsync(key, "assign", "Assigned", new() { ["mode"] = coUnit is null ? "Single" : "LeadWithCoHandling", ["unitIds"] = units }, cast.Office, null, ct);
        Step(replay);
        if (scenario.Stop == DemoStop.SignFor)
        {
            return;
        }

        if (scenario.Stop == DemoStop.Reassign)
        {
            await DoAsync(key, "signFor", "Returned", new() { ["reason"] = "该事项不属于本单位职责，建议交由属地政府办理" }, cast.Handler(unit), unit, ct);
            return;
        }

        await DoAsync(key, "signFor", "Signed", null, cast.Handler(unit), unit, ct);
        if (coUnit is { } coHandler)
        {
            await DoAsync(key, "signFor", "Signed", null, cast.Handler(coHandler), coHandler, ct);
            if (scenario.Stop == DemoStop.CoOpinion)
            {
                return;
            }

            Step(replay);
            await DoAsync(key, "coOpinion", "Sent", new() { ["opinion"] = "我单位同意主办单位的办理意见，将在职责范围内做好配合工作。" }, cast.Handler(coHandler), coHandler, ct);
        }

        replay.Advance(TimeSpan.FromDays(random.Next(3, 9)));
        if (scenario.Stop == DemoStop.Consult)
        {
            return;
        }

        await DoAsync(
            key,
            "consult",
            "Consulted",
            new()
            {
                ["at"] = replay.Now.AddHours(-2).ToString("O", CultureInfo.InvariantCulture),
                ["method"] = "Visit",
                ["stage"] = "Before",
                ["participants"] = "领衔代表、承办单位分管负责人、经办人",
                ["notes"] = "实地查看现场，听取代表意见，商定办理思路。",
            },
            cast.Handler(unit),
            unit,
            ct);
        replay.Advance(TimeSpan.FromDays(Math.Max(1, scenario.ReplyAfterDays - 8)));
        if (scenario.Stop == DemoStop.Reply)
        {
            return;
        }

        if (scenario.Stop == DemoStop.DecideExtension)
        {
            var lastDay = DateOnly.FromDateTime(replay.Now.ToOffset(DemoCast.Beijing).AddDays(150).Date);
            await DoAsync(
                key,
                "reply",
                "ExtensionRequested",
                new() { ["newLastDay"] = lastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["reason"] = "涉及多部门协调和年度资金安排，需要延期办理", ["explanationToDeputy"] = "已电话向领衔代表说明延期原因，代表表示理解" },
                cast.Handler(unit),
                unit,
                ct);
            return;
        }

        var category = scenario.RehandledFirst ? ReplyCategory.B : scenario.Category;
        await ReplyAsync(key, "reply", category, scenario.PublicInterest && !scenario.RehandledFirst, unit, replay, ct);
        if (scenario.Stop == DemoStop.Approve)
        {
            return;
        }

        await DoAsync(key, "approve", "Approved", null, cast.Head(unit), unit, ct);
        replay.Advance(TimeSpan.FromDays(random.Next(2, 6)));
        if (scenario.Stop == DemoStop.Evaluate)
        {
            return;
        }

        if (scenario.RehandledFirst)
        {
            await EvaluateAsync(key, leadDeputy, coSigners, EvaluationResult.Dissatisfied, ct);
            replay.Advance(TimeSpan.FromDays(random.Next(5, 15)));
            if (scenario.Stop == DemoStop.Rehandle)
            {
                return;
            }

            await ReplyAsync(key, "rehandle", scenario.Category, scenario.PublicInterest, unit, replay, ct);
            await DoAsync(key, "approve", "Approved", null, cast.Head(unit), unit, ct);
            replay.Advance(TimeSpan.FromDays(random.Next(2, 6)));
        }

        await EvaluateAsync(key, leadDeputy, coSigners, scenario.Evaluation, ct);
        Step(replay);
        if (scenario.Stop is DemoStop.FollowUp or DemoStop.Publish)
        {
            return;
        }

        if (scenario.PublicInterest)
        {
            await DoAsync(key, "publish", "Published", null, cast.Office, null, ct);
        }

        if (scenario.Category is ReplyCategory.B or ReplyCategory.C)
        {
            replay.Advance(TimeSpan.FromDays(random.Next(10, 30)));
            await DoAsync(key, "followUp", "Solved", new() { ["note"] = "相关工程已完工并投入使用" }, cast.Handler(unit), unit, ct);
        }
    }

    /// <summary>A citizen's opinion a deputy took at a station, waiting for the deputy or forwarded to a unit.</summary>
    public async Task ReplayOpinionAsync(int daysAgo, Guid deputy, Guid? station, string citizen, string content, Guid? forwardTo, CancellationToken ct)
    {
        using var replay = clock.Begin(clock.GetUtcNow().AddDays(-daysAgo));
        var opinion = await StartAsync(
            SuggestionWorkflows.PublicOpinion,
            (sender, token) => sender.Send(new RecordPublicOpinion(citizen, null, OpinionChannel.Station, station, deputy, content, cast.DeputyActor(deputy)), token),
            id => new() { ["opinionId"] = id.ToString(), ["deputyId"] = deputy.ToString() },
            ct);
        Step(replay);
        if (forwardTo is { } unit)
        {
            await DoAsync(opinion.ToString(), "intake", "Forwarded", new() { ["unitId"] = unit.ToString() }, cast.DeputyUser(deputy), null, ct);
        }
    }

    private async Task<Guid> ReplyAsync(string key, string activity, ReplyCategory category, bool publicInterest, Guid unit, ReplayableClock.Replay replay, CancellationToken ct)
    {
        var text = category switch
        {
            ReplyCategory.A => "<p>经认真研究，代表所提问题已基本解决：我单位已制定专项工作方案，相关措施于本季度落实到位。</p>",
            ReplyCategory.B => "<p>代表所提问题正在解决，已列入年度工作计划，预计明年上半年完成。</p>",
            ReplyCategory.C => "<p>受资金和规划条件限制，目前暂难实施，我单位将在条件具备时优先安排。</p>",
            _ => "<p>代表的意见对我们改进工作很有参考价值，我单位将在今后工作中认真研究吸收。</p>",
        };
        var done = await DoAsync(key, activity, "Replied", new() { ["category"] = category.ToString(), ["text"] = text, ["publicInterest"] = publicInterest }, cast.Handler(unit), unit, ct);
        Step(replay);
        return Guid.Parse(done.Result!["domainResult"]!.GetValue<string>());
    }

    /// <summary>Co-signers answer their own evaluation tasks first (content); the lead deputy's answer completes the round.</summary>
    private async Task EvaluateAsync(string key, Guid lead, IReadOnlyList<Guid> coSigners, EvaluationResult result, CancellationToken ct)
    {
        foreach (var coSigner in coSigners)
        {
            await DoAsync(key, "evaluate", nameof(EvaluationResult.Satisfied), [], cast.DeputyUser(coSigner), coSigner, ct);
        }

        var comment = result == EvaluationResult.Dissatisfied ? "答复内容不够具体，缺少时间表" : "办理认真，答复及时";
        await DoAsync(key, "evaluate", result.ToString(), new() { ["comment"] = comment }, cast.DeputyUser(lead), lead, ct);
    }

    private async Task<Guid> StartAsync(
        string definition, Func<ISender, CancellationToken, ValueTask<Guid>> submit, Func<Guid, Dictionary<string, JsonNode?>> input, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        var started = await scope.ServiceProvider.GetRequiredService<SuggestionWorkflowService>().StartAsync<Guid>(definition, async (_, token) =>
        {
            var id = await submit(sender, token);
            return (id, input(id), id.ToString());
        }, ct);
        return started.Value;
    }

    /// <summary>Acts on the open task at <paramref name="activity"/> of the item's workflows (for <paramref name="unit"/>, when given).</summary>
    private async Task<CompletedTask> DoAsync(string key, string activity, string outcome, JsonObject? fields, ActingUser user, Guid? unit, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var open = await scope.ServiceProvider.GetRequiredService<WorkflowQueries>().ListTasksAsync(new TaskFilter(CorrelationKey: key, Take: 100), null, ct, internalRead: true);
        var task = open.Items.SingleOrDefault(t => t.ActivityId == activity && (unit is null || t.AssigneeId.StartsWith(unit.Value.ToString(), StringComparison.OrdinalIgnoreCase)))
            ?? throw new InvalidOperationException($"demo data: no open task '{activity}' for {key} (open: {string.Join(", ", open.Items.Select(t => t.ActivityId))})");
        return await scope.ServiceProvider.GetRequiredService<TaskCompletion>().CompleteAsync(task.Id, outcome, fields, user, ct);
    }

    private void Step(ReplayableClock.Replay replay) => replay.Advance(TimeSpan.FromHours(random.Next(2, 30)));
}

/// <summary>The demo users' identities as the engine sees them, and the units by name.</summary>
internal sealed class DemoCast(IReadOnlyDictionary<string, Guid> units, Guid leader)
{
    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public Guid Leader { get; } = leader;

    public ActingUser Office { get; } = new("demo-office", "代表工委 · 演示", ["LiaisonOffice"], [], [], []);

    public ActingUser LeaderUser => new("demo-leader", "领导 · 演示", ["Leader"], [], [], [Leader.ToString()]);

    public Guid UnitId(string name) => units.TryGetValue(name, out var id) ? id : throw new InvalidOperationException($"demo data: no unit '{name}'");

    public ActingUser Handler(Guid unit) => new("demo-handler", "承办单位经办人 · 演示", ["UnitHandler"], [unit.ToString()], [], []);

    public ActingUser Head(Guid unit) => new("demo-head", "承办单位负责人 · 演示", ["UnitHead"], [unit.ToString()], [], []);

    public ActingUser DeputyUser(Guid deputy) => new($"demo-deputy-{deputy:N}", "代表 · 演示", ["Deputy"], [], [deputy.ToString()], []);

    public Actor DeputyActor(Guid deputy) => new($"demo-deputy-{deputy:N}", "代表 · 演示");
}
