using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Domain.Handling;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Liaison.Host.Identity;
using Liaison.Testing;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

/// <summary>
/// Every way to act on a task × every step of the published suggestion workflow, over HTTP: only the one whose
/// job it is succeeds; everyone else gets 404 (the task does not exist for them), 403 (they oversee it but it is
/// not theirs) or 401 (not signed in), and the database is unchanged after each refusal. Forged fields have no effect.
/// </summary>
public sealed class TaskAuthorizationMatrixTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Only_the_one_whose_job_it_is_acts_on_each_step(DatabaseProvider provider)
    {
        var clock = FakeClock.Create();
        await using var database = await TestDatabase.CreateAsync(provider, "matrix");
        await using var app = await LiaisonWebApp.StartAsync(database, services: s => s.UseFakeClock(clock));
        var w = await World.CreateAsync(app);

        var submitted = await Read(await w.Client["author deputy"].PostAsJsonAsync("/api/suggestions", new { term = 16, title = "关于优化公交线路的建议", text = "正文", coSignerIds = new[] { w.CoSigner } }), HttpStatusCode.Created);
        var suggestion = submitted.GetProperty("id").GetGuid();
        var instance = submitted.GetProperty("workflowInstanceId").GetGuid();

        Task<JsonElement> Step(object at, string outcome, object fields, params string[] allowed) =>
            at is ValueTuple<string, Guid> pick ? StepAt(pick.Item1, pick.Item2, outcome, fields, allowed) : StepAt((string)at, null, outcome, fields, allowed);

        async Task<JsonElement> StepAt(string activity, Guid? unit, string outcome, object fields, string[] allowed)
        {
            var task = await w.OpenTaskAsync(suggestion, activity, unit);
            var body = JsonSerializer.SerializeToNode(fields)!.AsObject();
            body["outcome"] = outcome;
            foreach (var (who, client) in w.Client.Where(c => !allowed.Contains(c.Key)))
            {
                var before = await w.SnapshotAsync(suggestion, task);
                var response = await client.PostAsJsonAsync($"/api/workflows/tasks/{task}/complete", body);
                var expected = who == "anonymous" ? HttpStatusCode.Unauthorized : World.Overseers.Contains(who) ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;
                Assert.True(response.StatusCode == expected, $"{activity}/{outcome} by {who}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}, expected {(int)expected}");
                Assert.Equal(before, await w.SnapshotAsync(suggestion, task));
            }

            return await Read(await w.Client[allowed[0]].PostAsJsonAsync($"/api/workflows/tasks/{task}/complete", body), HttpStatusCode.OK);
        }

        // Forged fields beside the form (domainResult, lead, unitId, isKey) reach nothing: the workflow reads the step's result.
        var forged = new { domainResult = "16-2026-9999", lead = new { unitId = w.OtherUnit }, isKey = true, unitId = w.OtherUnit };
        var admitted = await Step("receive", "Admitted", forged, "office");
        Assert.Equal("16-2026-0001", admitted.GetProperty("domainResult").GetString());
        await Step("analyse", "Key", new { field = "交通", leadingLeaderId = w.Leader, supervisingLeaderId = w.Leader, domainResult = "x" }, "office");
        await Step("leaderReview", "Endorsed", new { instruction = "请抓紧办理" }, "leader");
        await Step("assign", "Assigned", new { unitIds = new[] { w.Unit, w.CoUnit }, lead = new { unitId = w.OtherUnit } }, "office");
        Assert.Equal(w.Unit.ToString(), (await w.TaskAsync(suggestion, "signFor", w.Unit)).AssigneeId);

        await Step(("signFor", w.CoUnit), "Signed", new { }, "co-unit handler", "co-unit head");
        await Step("coOpinion", "Sent", new { opinion = "同意" }, "co-unit handler", "co-unit head");
        await Step(("signFor", w.Unit), "Signed", new { }, "handler", "head");
        await Step("consult", "Consulted", new { at = clock.GetUtcNow().AddHours(-1), method = "Phone", stage = "Before", participants = "王代表" }, "head", "handler");
        var extension = await Step("reply", "ExtensionRequested", new { newLastDay = clock.GetUtcNow().AddMonths(4).ToString("yyyy-MM-dd"), reason = "需协调", explanationToDeputy = "已说明" }, "handler", "head");
        await Step("decideExtension", "Approved", new { note = "同意", requestId = Guid.NewGuid() }, "office");
        await Step("reply", "Replied", new { category = "B", text = "正在解决", publicInterest = true, domainResult = Guid.NewGuid() }, "handler", "head");
        await Step("approve", "Returned", new { reason = "请补充时间表" }, "head");
        await Step("reply", "Replied", new { category = "B", text = "正在解决，年底完成", publicInterest = true }, "handler", "head");
        await Step("approve", "Approved", new { }, "head");
        await Step("publish", "Published", new { }, "office");
        // Each signer acts on their own evaluation task only; the co-signer's dissatisfaction starts re-handling once the round is complete.
        await Step(("evaluate", w.Author), "Satisfied", new { comment = "基本解决" }, "author deputy");
        await Step(("evaluate", w.CoSigner), "Dissatisfied", new { comment = "未解决" }, "co-signer deputy");
        await Step("rehandle", "Replied", new { category = "B", text = "已列入计划", publicInterest = true }, "handler", "head");
        await Step("approve", "Approved", new { }, "head");
        await Step("publish", "Published", new { }, "office");
        await Step(("evaluate", w.CoSigner), "Satisfied", new { comment = "满意" }, "co-signer deputy");
        await Step(("evaluate", w.Author), "Satisfied", new { comment = "满意" }, "author deputy");
        var done = await Step("followUp", "Solved", new { note = "已完成" }, "handler", "head");
        Assert.Equal("Finished", done.GetProperty("workflowStatus").GetString());
        _ = extension;

        await using var db = app.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<LiaisonDbContext>();
        var replies = await db.Replies.Where(r => r.SuggestionId == suggestion).OrderBy(r => r.Round).Select(r => new { r.UnitId, r.Status }).ToListAsync();
        Assert.All(replies, r => Assert.Equal(w.Unit, r.UnitId));
        Assert.Equal([ReplyStatus.Returned, ReplyStatus.Sent, ReplyStatus.Sent], replies.Select(r => r.Status));
        Assert.Contains(await db.AuditEntries.Where(a => a.SuggestionId == suggestion).Select(a => a.Action).ToListAsync(), a => a == "suggestion.leader-reviewed");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_public_opinion_is_acted_on_only_by_its_deputy_its_unit_and_the_office_and_a_converted_one_starts_the_loop(DatabaseProvider provider)
    {
        var clock = FakeClock.Create();
        await using var database = await TestDatabase.CreateAsync(provider, "matrix-opinion");
        await using var app = await LiaisonWebApp.StartAsync(database, services: s => s.UseFakeClock(clock));
        var w = await World.CreateAsync(app);

        async Task<Guid> RecordAsync() =>
            (await Read(await w.Client["author deputy"].PostAsJsonAsync("/api/opinions", new { citizenName = "张先生", channel = "DeputyCode", content = "小区门口缺少红绿灯" }), HttpStatusCode.Created))
                .GetProperty("id").GetGuid();

        async Task Act(Guid instance, string activity, string outcome, object fields, HttpStatusCode expected, string who)
        {
            var task = await w.OpenTaskAsync(instance, activity);
            var body = JsonSerializer.SerializeToNode(fields)!.AsObject();
            body["outcome"] = outcome;
            var response = await w.Client[who].PostAsJsonAsync($"/api/workflows/tasks/{task}/complete", body);
            Assert.True(response.StatusCode == expected, $"{activity} by {who}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var forwarded = await RecordAsync();
        await Act(forwarded, "intake", "Forwarded", new { unitId = w.Unit }, HttpStatusCode.NotFound, "other deputy");
        await Act(forwarded, "intake", "Forwarded", new { unitId = w.Unit }, HttpStatusCode.Forbidden, "office");
        await Act(forwarded, "intake", "Forwarded", new { unitId = w.Unit }, HttpStatusCode.OK, "author deputy");
        await Act(forwarded, "unitReply", "Replied", new { answer = "已安装" }, HttpStatusCode.NotFound, "other unit handler");
        await Act(forwarded, "unitReply", "Replied", new { answer = "已安装" }, HttpStatusCode.OK, "handler");

        // Turned into a suggestion: the new suggestion is at the office's intake in its own suggestion-handling instance.
        var converted = await RecordAsync();
        await Act(converted, "intake", "Converted", new { title = "关于增设红绿灯的建议", term = 16, year = 2026 }, HttpStatusCode.OK, "author deputy");
        await using var scope = app.Services.CreateAsyncScope();
        var opinion = await scope.ServiceProvider.GetRequiredService<LiaisonDbContext>().PublicOpinions.AsNoTracking().SingleAsync(o => o.SuggestionId != null);
        var wf = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
        var started = await wf.Instances.AsNoTracking().SingleAsync(i => i.DefinitionId == "suggestion-handling" && i.CorrelationKey == opinion.SuggestionId!.Value.ToString());
        Assert.Single(await wf.HumanTasks.AsNoTracking().Where(t => t.InstanceId == started.Id && t.ActivityId == "receive" && t.Status == HumanTaskStatus.Open).ToListAsync());
    }

    private static async Task<JsonElement> Read(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Two units (one leading, one co-handling) and a third, a leader, two deputies, and a client for every way in.</summary>
    private sealed class World
    {
        public static readonly string[] Overseers = ["office", "leader", "admin"];

        private readonly LiaisonWebApp _app;

        private World(LiaisonWebApp app) => _app = app;

        public Dictionary<string, HttpClient> Client { get; } = [];

        public Guid Unit { get; private set; }

        public Guid CoUnit { get; private set; }

        public Guid OtherUnit { get; private set; }

        public Guid Leader { get; private set; }

        public Guid CoSigner { get; private set; }

        public Guid Author { get; private set; }

        public static async Task<World> CreateAsync(LiaisonWebApp app)
        {
            var w = new World(app);
            var unit = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
            var co = new HandlingUnit { Name = "市公安局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
            var other = new HandlingUnit { Name = "市教育局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
            var author = new Deputy { Name = "王代表", Level = DeputyLevel.City, Term = 16 };
            var coSigner = new Deputy { Name = "李代表", Level = DeputyLevel.City, Term = 16 };
            var stranger = new Deputy { Name = "赵代表", Level = DeputyLevel.City, Term = 16 };
            var leader = new Leader { Name = "副市长", Kind = LeaderKind.Government };
            var head = await app.CreateUserAsync([Roles.UnitHead], unitId: unit.Id.ToString());
            var coHead = await app.CreateUserAsync([Roles.UnitHead], unitId: co.Id.ToString());
            var otherHead = await app.CreateUserAsync([Roles.UnitHead], unitId: other.Id.ToString());
            (unit.HeadUserId, co.HeadUserId, other.HeadUserId) = (head.Id, coHead.Id, otherHead.Id);
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
                db.AddRange(unit, co, other, author, coSigner, stranger, leader);
                await db.SaveChangesAsync();
            }

            (w.Unit, w.CoUnit, w.OtherUnit, w.Leader, w.CoSigner, w.Author) = (unit.Id, co.Id, other.Id, leader.Id, coSigner.Id, author.Id);
            w.Client["handler"] = await app.ClientForAsync(Roles.UnitHandler, unit.Id.ToString());
            w.Client["head"] = await app.TokenClientAsync(head.UserName, head.Password);
            w.Client["co-unit handler"] = await app.ClientForAsync(Roles.UnitHandler, co.Id.ToString());
            w.Client["co-unit head"] = await app.TokenClientAsync(coHead.UserName, coHead.Password);
            w.Client["other unit handler"] = await app.ClientForAsync(Roles.UnitHandler, other.Id.ToString());
            w.Client["other unit head"] = await app.TokenClientAsync(otherHead.UserName, otherHead.Password);
            w.Client["office"] = await app.ClientForAsync(Roles.LiaisonOffice);
            var leaderUser = await app.CreateUserAsync([Roles.Leader], leaderId: leader.Id.ToString());
            w.Client["leader"] = await app.TokenClientAsync(leaderUser.UserName, leaderUser.Password);
            w.Client["admin"] = await app.ClientForAsync(Roles.Admin);
            w.Client["author deputy"] = await app.ClientForAsync([Roles.Deputy], deputyId: author.Id.ToString());
            w.Client["co-signer deputy"] = await app.ClientForAsync([Roles.Deputy], deputyId: coSigner.Id.ToString());
            w.Client["other deputy"] = await app.ClientForAsync([Roles.Deputy], deputyId: stranger.Id.ToString());
            w.Client["anonymous"] = app.NewClient();
            return w;
        }

        /// <summary>The one open task at <paramref name="activity"/> about the item (its workflow and the child workflows under the same key).</summary>
        public async Task<HumanTaskRecord> TaskAsync(Guid item, string activity, Guid? unit = null)
        {
            await using var scope = _app.Services.CreateAsyncScope();
            var wf = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
            var key = item.ToString();
            var tasks = await wf.HumanTasks.AsNoTracking()
                .Where(t => t.Status == HumanTaskStatus.Open && wf.Instances.Any(i => i.Id == t.InstanceId && i.CorrelationKey == key)).ToListAsync();
            return Assert.Single(tasks, t => t.ActivityId == activity && (unit is null || t.AssigneeId.StartsWith(unit.Value.ToString(), StringComparison.Ordinal)));
        }

        public async Task<Guid> OpenTaskAsync(Guid item, string activity, Guid? unit = null) => (await TaskAsync(item, activity, unit)).Id;

        /// <summary>What a refused attempt must leave as it was: the task, the instance, the audit trail, the replies.</summary>
        public async Task<string> SnapshotAsync(Guid suggestion, Guid task)
        {
            await using var scope = _app.Services.CreateAsyncScope();
            var wf = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            var t = await wf.HumanTasks.AsNoTracking().SingleAsync(x => x.Id == task);
            var revision = await wf.Instances.AsNoTracking().Where(i => i.Id == t.InstanceId).Select(i => i.Revision).SingleAsync();
            var audit = await db.AuditEntries.CountAsync(a => a.SuggestionId == suggestion);
            var replies = await db.Replies.CountAsync(r => r.SuggestionId == suggestion);
            var status = await db.Suggestions.Where(s => s.Id == suggestion).Select(s => s.Status).SingleAsync();
            return $"{t.Status}/{t.CompletedBy}/{revision}/{audit}/{replies}/{status}";
        }
    }
}
