using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Liaison.Domain.Opinions;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;
using Liaison.Workflows.Durable;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

/// <summary>The suggestion API: who may call it, who sees what, and both shipped workflows driven over HTTP only.</summary>
public sealed class SuggestionApiTests
{
    private static readonly string Unknown = Guid.NewGuid().ToString();
    private static readonly string[] Everyone = Roles.All.Select(r => r.Name).ToArray();
    private static readonly string[] Deputies = [Roles.Deputy];
    private static readonly string[] Readers = [Roles.Deputy, Roles.LiaisonOffice, Roles.Leader, Roles.Admin];

    /// <summary>The fake clock runs weeks ahead; bearer tokens must outlive that.</summary>
    private static readonly Dictionary<string, string?> LongTokens = new() { ["Liaison:Auth:TokenLifetime"] = "365.00:00:00" };

    /// <summary>Method, path, body, roles allowed. An allowed call succeeds or fails on its own merits (404), never 401/403.</summary>
    private static readonly (HttpMethod Method, string Path, string? Body, string[] Allowed)[] Matrix =
    [
        (HttpMethod.Post, "/api/suggestions", """{"term":16,"title":"关于增设公交站点的建议","text":"正文"}""", Deputies),
        (HttpMethod.Get, "/api/suggestions", null, Readers),
        (HttpMethod.Get, $"/api/suggestions/{Unknown}", null, Readers),
        (HttpMethod.Post, "/api/opinions", """{"citizenName":"张三","channel":"DeputyCode","content":"路灯坏了"}""", Deputies),
        (HttpMethod.Post, $"/api/replies/{Unknown}/evaluations", """{"result":"Satisfied"}""", Deputies),
        (HttpMethod.Post, $"/api/workflows/tasks/{Unknown}/complete", """{"outcome":"Signed"}""", Everyone),
    ];

    [Fact]
    public async Task Every_role_gets_exactly_what_the_policies_say_and_strangers_get_401()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "suggestion-matrix");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var org = await Organisation.SeedAsync(app);

        var failures = new List<string>();
        foreach (var call in Matrix)
        {
            using var response = await app.Client.SendAsync(Request(call));
            if (response.StatusCode != HttpStatusCode.Unauthorized || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"anonymous {call.Method} {call.Path}: {(int)response.StatusCode}");
            }
        }

        foreach (var role in Everyone)
        {
            var client = await app.ClientForAsync([role], org.Unit.ToString(), org.Deputy.ToString());
            foreach (var call in Matrix)
            {
                using var response = await client.SendAsync(Request(call));
                var allowed = call.Allowed.Contains(role);
                var status = (int)response.StatusCode;
                if (allowed ? status is 401 or 403 or >= 500 : status != 403)
                {
                    failures.Add($"{role} {call.Method} {call.Path}: expected {(allowed ? "allowed" : "403")}, got {status} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_suggestion_goes_round_the_loop_over_HTTP_and_nobody_sees_what_is_not_theirs(DatabaseProvider provider)
    {
        var clock = FakeClock.Create();
        await using var database = await TestDatabase.CreateAsync(provider, "suggestion-http");
        await using var app = await LiaisonWebApp.StartAsync(database, LongTokens, s => s.UseFakeClock(clock));
        var org = await Organisation.SeedAsync(app);
        var deputy = await app.ClientForAsync([Roles.Deputy], deputyId: org.Deputy.ToString());
        var otherDeputy = await app.ClientForAsync([Roles.Deputy], deputyId: org.OtherDeputy.ToString());
        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var handler = await app.ClientForAsync(Roles.UnitHandler, org.Unit.ToString());
        var otherHandler = await app.ClientForAsync(Roles.UnitHandler, org.OtherUnit.ToString());
        var head = await app.TokenClientAsync(org.Head.UserName, org.Head.Password);
        var otherHead = await app.ClientForAsync(Roles.UnitHead, org.OtherUnit.ToString());

        // 提交: the suggestion and its workflow start together.
        var submitted = await ReadAsync(await deputy.PostAsJsonAsync("/api/suggestions", new { term = 16, title = "关于优化公交线路的建议", text = "正文" }), HttpStatusCode.Created);
        var id = submitted.GetProperty("id").GetGuid();
        var instance = submitted.GetProperty("workflowInstanceId").GetGuid();
        Assert.Equal("Suspended", submitted.GetProperty("workflowStatus").GetString()); // waiting for 受理

        // Another deputy neither lists nor reads it.
        Assert.Equal(HttpStatusCode.NotFound, (await otherDeputy.GetAsync(new Uri($"/api/suggestions/{id}", UriKind.Relative))).StatusCode);
        Assert.Empty((await otherDeputy.GetFromJsonAsync<JsonElement>(new Uri("/api/suggestions", UriKind.Relative))).GetProperty("items").EnumerateArray());
        Assert.Single((await deputy.GetFromJsonAsync<JsonElement>(new Uri("/api/suggestions", UriKind.Relative))).GetProperty("items").EnumerateArray());

        async Task<Guid> TaskAsync(string activityId)
        {
            var page = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/tasks?correlationKey={id}&status=Open&take=100", UriKind.Relative));
            return page.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("activityId").GetString() == activityId).GetProperty("id").GetGuid();
        }

        async Task<JsonElement> CompleteAsync(HttpClient client, string activityId, object body) =>
            await ReadAsync(await client.PostAsJsonAsync($"/api/workflows/tasks/{await TaskAsync(activityId)}/complete", body), HttpStatusCode.OK);

        // 受理, 分析 (ordinary), 交办 to one unit.
        Assert.Equal("16-2026-0001", (await CompleteAsync(office, "receive", new { outcome = "Admitted" })).GetProperty("domainResult").GetString());
        await CompleteAsync(office, "analyse", new { outcome = "Ordinary", field = "transport" });
        await CompleteAsync(office, "assign", new { outcome = "Assigned", unitIds = new[] { org.Unit } });

        // Another unit's handler: the task does not exist for them, to read or to complete.
        var sign = await TaskAsync("signFor");
        Assert.Equal(HttpStatusCode.NotFound, (await otherHandler.GetAsync(new Uri($"/api/workflows/tasks/{sign}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherHandler.PostAsJsonAsync($"/api/workflows/tasks/{sign}/complete", new { outcome = "Signed" })).StatusCode);

        // 签收, 面商, 答复 (category A); a reply without its fields is 400 naming each.
        clock.Advance(TimeSpan.FromDays(1));
        await CompleteAsync(handler, "signFor", new { outcome = "Signed" });
        clock.Advance(TimeSpan.FromDays(7));
        await CompleteAsync(handler, "consult", new { outcome = "Consulted", at = clock.GetUtcNow().AddHours(-1), method = "Visit", stage = "Before", participants = "王代表, 局长" });
        var reply = await TaskAsync("reply");
        var bad = await handler.PostAsJsonAsync($"/api/workflows/tasks/{reply}/complete", new { outcome = "Replied" });
        var problem = await ReadAsync(bad, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("category", out _), problem.ToString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("text", out _), problem.ToString());
        clock.Advance(TimeSpan.FromDays(20));
        await CompleteAsync(handler, "reply", new { outcome = "Replied", category = "A", text = "已调整线路", publicInterest = false });

        // Only this unit's head approves (another unit's head: 404); approval sends the reply.
        var approve = await TaskAsync("approve");
        Assert.Equal(HttpStatusCode.NotFound, (await otherHead.PostAsJsonAsync($"/api/workflows/tasks/{approve}/complete", new { outcome = "Approved" })).StatusCode);
        await CompleteAsync(head, "approve", new { outcome = "Approved" });

        // The deputy evaluates their own task; category A, not public: the loop ends.
        clock.Advance(TimeSpan.FromDays(2));
        var evaluated = await CompleteAsync(deputy, "evaluate", new { outcome = "Satisfied", comment = "满意" });
        Assert.Equal("Finished", evaluated.GetProperty("workflowStatus").GetString());

        var detail = await deputy.GetFromJsonAsync<JsonElement>(new Uri($"/api/suggestions/{id}", UriKind.Relative));
        Assert.Equal("Closed", detail.GetProperty("suggestion").GetProperty("status").GetString());
        Assert.Equal("16-2026-0001", detail.GetProperty("suggestion").GetProperty("number").GetString());
        Assert.Equal(("Finished", instance), (detail.GetProperty("workflowStatus").GetString(), detail.GetProperty("workflowInstanceId").GetGuid()));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_co_signer_evaluates_over_HTTP_and_the_joint_suggestion_closes(DatabaseProvider provider)
    {
        var clock = FakeClock.Create();
        await using var database = await TestDatabase.CreateAsync(provider, "joint-http");
        await using var app = await LiaisonWebApp.StartAsync(database, LongTokens, s => s.UseFakeClock(clock));
        var org = await Organisation.SeedAsync(app);
        var lead = await app.ClientForAsync([Roles.Deputy], deputyId: org.Deputy.ToString());
        var coSigner = await app.ClientForAsync([Roles.Deputy], deputyId: org.OtherDeputy.ToString());
        var stranger = await app.ClientForAsync([Roles.Deputy], deputyId: org.ThirdDeputy.ToString());
        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var handler = await app.ClientForAsync(Roles.UnitHandler, org.Unit.ToString());
        var head = await app.TokenClientAsync(org.Head.UserName, org.Head.Password);

        var submitted = await ReadAsync(
            await lead.PostAsJsonAsync("/api/suggestions", new { term = 16, title = "关于增设公交站点的建议", text = "正文", coSignerIds = new[] { org.OtherDeputy } }), HttpStatusCode.Created);
        var id = submitted.GetProperty("id").GetGuid();
        var instance = submitted.GetProperty("workflowInstanceId").GetGuid();

        async Task<JsonElement> CompleteAsync(HttpClient client, string activityId, object body, Guid? assignee = null)
        {
            var page = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/tasks?correlationKey={id}&status=Open&take=100", UriKind.Relative));
            var task = page.GetProperty("items").EnumerateArray()
                .Single(t => t.GetProperty("activityId").GetString() == activityId && (assignee is null || t.GetProperty("assigneeId").GetString() == assignee.ToString()))
                .GetProperty("id").GetGuid();
            return await ReadAsync(await client.PostAsJsonAsync($"/api/workflows/tasks/{task}/complete", body), HttpStatusCode.OK);
        }

        await CompleteAsync(office, "receive", new { outcome = "Admitted" });
        await CompleteAsync(office, "analyse", new { outcome = "Ordinary", field = "transport" });
        await CompleteAsync(office, "assign", new { outcome = "Assigned", unitIds = new[] { org.Unit } });
        clock.Advance(TimeSpan.FromDays(1));
        await CompleteAsync(handler, "signFor", new { outcome = "Signed" });
        clock.Advance(TimeSpan.FromDays(7));
        await CompleteAsync(handler, "consult", new { outcome = "Consulted", at = clock.GetUtcNow().AddHours(-1), method = "Visit", stage = "Before", participants = "王代表, 局长" });
        clock.Advance(TimeSpan.FromDays(20));
        await CompleteAsync(handler, "reply", new { outcome = "Replied", category = "A", text = "已增设站点", publicInterest = false });
        await CompleteAsync(head, "approve", new { outcome = "Approved" });

        // Each signer has an evaluation task; the lead's: satisfied, but the co-signer has not evaluated yet, so the suggestion stays open.
        clock.Advance(TimeSpan.FromDays(2));
        await CompleteAsync(lead, "evaluate", new { outcome = "Satisfied", comment = "满意" }, org.Deputy);
        async Task<string?> StatusAsync() =>
            (await lead.GetFromJsonAsync<JsonElement>(new Uri($"/api/suggestions/{id}", UriKind.Relative))).GetProperty("suggestion").GetProperty("status").GetString();
        Assert.Equal("Replied", await StatusAsync());

        Guid reply;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            reply = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>().Replies.Single(r => r.SuggestionId == id).Id;
        }

        var path = $"/api/replies/{reply}/evaluations";

        // A deputy who did not sign it: the reply does not exist for them. A missing result is 400.
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync(path, new { result = "Satisfied" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coSigner.PostAsJsonAsync($"/api/replies/{Guid.NewGuid()}/evaluations", new { result = "Satisfied" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await coSigner.PostAsJsonAsync(path, new { comment = "满意" })).StatusCode);

        var evaluated = await ReadAsync(await coSigner.PostAsJsonAsync(path, new { result = "BasicallySatisfied", comment = "基本满意" }), HttpStatusCode.OK);
        Assert.Equal(("Closed", id), (evaluated.GetProperty("suggestionStatus").GetString(), evaluated.GetProperty("suggestionId").GetGuid()));
        Assert.Equal("Closed", await StatusAsync());

        // The co-signer's answer on the survey API completed their own workflow task: nothing is left open and the workflow finished.
        var detail = await lead.GetFromJsonAsync<JsonElement>(new Uri($"/api/suggestions/{id}", UriKind.Relative));
        Assert.Equal("Finished", detail.GetProperty("workflowStatus").GetString());

        // One evaluation per deputy: the second is a domain refusal.
        var again = await ReadAsync(await coSigner.PostAsJsonAsync(path, new { result = "Dissatisfied", comment = "不满意" }), HttpStatusCode.Conflict);
        Assert.Equal("evaluation.duplicate", again.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_public_opinion_is_forwarded_answered_called_back_and_re_handled_when_the_citizen_is_dissatisfied()
    {
        var clock = FakeClock.Create();
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "opinion-http");
        await using var app = await LiaisonWebApp.StartAsync(database, LongTokens, s => s.UseFakeClock(clock));
        var org = await Organisation.SeedAsync(app);
        var deputy = await app.ClientForAsync([Roles.Deputy], deputyId: org.Deputy.ToString());
        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var handler = await app.ClientForAsync(Roles.UnitHandler, org.Unit.ToString());

        var recorded = await ReadAsync(await deputy.PostAsJsonAsync("/api/opinions", new { citizenName = "张三", channel = "DeputyCode", content = "小区路灯坏了" }), HttpStatusCode.Created);
        var instance = recorded.GetProperty("workflowInstanceId").GetGuid();

        async Task<Guid> TaskAsync(HttpClient client, string activityId)
        {
            var page = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/tasks?instanceId={instance}&status=Open", UriKind.Relative));
            return page.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("activityId").GetString() == activityId).GetProperty("id").GetGuid();
        }

        async Task CompleteAsync(HttpClient client, string activityId, object body) =>
            await ReadAsync(await client.PostAsJsonAsync($"/api/workflows/tasks/{await TaskAsync(client, activityId)}/complete", body), HttpStatusCode.OK);

        // The deputy's own intake task (assigned to their deputy id), then the unit answers.
        await CompleteAsync(deputy, "intake", new { outcome = "Forwarded", unitId = org.Unit });
        clock.Advance(TimeSpan.FromDays(2));
        await CompleteAsync(handler, "unitReply", new { outcome = "Replied", answer = "已修复" });

        // The call-back waits a day: the sweep fires the delay once the clock has passed it.
        var tasks = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/tasks?instanceId={instance}&status=Open", UriKind.Relative));
        Assert.Empty(tasks.GetProperty("items").EnumerateArray());

        async Task CallBackDueAsync()
        {
            clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
            await using var scope = app.Services.CreateAsyncScope();
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<WorkflowEngine>().SweepDueTimersAsync());
        }

        await CallBackDueAsync();

        // Dissatisfied: the same unit answers again (重新办理), and the citizen is called back once more.
        await CompleteAsync(office, "callBack", new { outcome = "Dissatisfied", note = "路灯仍不亮" });
        clock.Advance(TimeSpan.FromDays(1));
        await CompleteAsync(handler, "rehandle", new { outcome = "Replied", answer = "已更换灯具" });
        await CallBackDueAsync();

        await CompleteAsync(office, "callBack", new { outcome = "Satisfied" });
        var finished = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/instances/{instance}", UriKind.Relative));
        Assert.Equal("Finished", finished.GetProperty("instance").GetProperty("status").GetString());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var opinion = await scope.ServiceProvider.GetRequiredService<LiaisonDbContext>().PublicOpinions.FindAsync(recorded.GetProperty("id").GetGuid());
            Assert.Equal((OpinionStatus.Closed, "已更换灯具"), (opinion!.Status, opinion.UnitAnswer));
        }
    }

    private static HttpRequestMessage Request((HttpMethod Method, string Path, string? Body, string[] Allowed) call) =>
        new(call.Method, call.Path) { Content = call.Body is null ? null : new StringContent(call.Body, Encoding.UTF8, "application/json") };

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Three deputies and two units; the first unit's head is a real user, so head-of-unit approval is checked.</summary>
    private sealed record Organisation(Guid Deputy, Guid OtherDeputy, Guid ThirdDeputy, Guid Unit, Guid OtherUnit, TestUser Head)
    {
        public static async Task<Organisation> SeedAsync(LiaisonWebApp app)
        {
            var unit = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
            var head = await app.CreateUserAsync([Roles.UnitHead], unitId: unit.Id.ToString());
            unit.HeadUserId = head.Id;
            var other = new HandlingUnit { Name = "市教育局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
            var deputy = new Deputy { Name = "王代表", Level = DeputyLevel.City, Term = 16 };
            var otherDeputy = new Deputy { Name = "李代表", Level = DeputyLevel.City, Term = 16 };
            var thirdDeputy = new Deputy { Name = "赵代表", Level = DeputyLevel.City, Term = 16 };
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.AddRange(unit, other, deputy, otherDeputy, thirdDeputy);
            await db.SaveChangesAsync();
            return new Organisation(deputy.Id, otherDeputy.Id, thirdDeputy.Id, unit.Id, other.Id, head);
        }
    }
}
