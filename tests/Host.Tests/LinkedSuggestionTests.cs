using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Liaison.Domain.Handling;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Liaison.Host.Identity;
using Liaison.Testing;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

/// <summary>
/// 并案 through the published workflow over HTTP: the office links two similar items on the first item's 分析; each linked
/// item's own analysis sends it to wait for the first item's reply (no unit tasks of its own, nothing to go red). The
/// first item's unit replies once; the reply, once approved and sent, answers all three, and each deputy evaluates their
/// own. A dissatisfied linked item is re-handled on its own by the unit that replied. A deputy evaluates only what they signed.
/// </summary>
public sealed class LinkedSuggestionTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task One_reply_answers_every_linked_item_and_each_deputy_evaluates_their_own(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "linked");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var housing = new HandlingUnit { Name = "市住房和城乡建设局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        var deputies = new[] { "李代表", "王代表", "张代表" }.Select(n => new Deputy { Name = n, Level = DeputyLevel.City, Term = 16 }).ToArray();
        var headUser = await app.CreateUserAsync([Roles.UnitHead], unitId: housing.Id.ToString());
        housing.HeadUserId = headUser.Id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.Add(housing);
            db.AddRange(deputies);
            await db.SaveChangesAsync();
        }

        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var handler = await app.ClientForAsync(Roles.UnitHandler, housing.Id.ToString());
        var head = await app.TokenClientAsync(headUser.UserName, headUser.Password);
        var deputy = new List<HttpClient>();
        foreach (var d in deputies)
        {
            deputy.Add(await app.ClientForAsync([Roles.Deputy], deputyId: d.Id.ToString()));
        }

        async Task<Guid> SubmitAsync(int who, string title)
        {
            var response = await deputy[who].PostAsJsonAsync("/api/suggestions", new { term = 16, title, text = "老旧小区加装电梯进展慢，建议加快。" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        async Task<List<JsonElement>> OpenTasksAsync(Guid suggestion) =>
            (await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/tasks?correlationKey={suggestion}&status=Open&take=100", UriKind.Relative)))
                .GetProperty("items").EnumerateArray().ToList();

        async Task CompleteAsync(HttpClient client, Guid suggestion, string activity, object body)
        {
            var task = (await OpenTasksAsync(suggestion)).Single(t => t.GetProperty("activityId").GetString() == activity).GetProperty("id").GetGuid();
            var response = await client.PostAsJsonAsync($"/api/workflows/tasks/{task}/complete", body);
            Assert.True(response.IsSuccessStatusCode, $"{activity}: {await response.Content.ReadAsStringAsync()}");
        }

        async Task<T> AskAsync<T>(Func<LiaisonDbContext, Task<T>> read)
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await read(scope.ServiceProvider.GetRequiredService<LiaisonDbContext>());
        }

        var first = await SubmitAsync(0, "关于加快老旧小区加装电梯的建议");
        var second = await SubmitAsync(1, "关于老旧小区加装电梯的建议");
        var third = await SubmitAsync(2, "关于加装电梯补贴的建议");
        var items = new[] { first, second, third };
        foreach (var item in items)
        {
            await CompleteAsync(office, item, "receive", new { outcome = "Admitted" });
        }

        await CompleteAsync(office, first, "analyse", new { outcome = "Ordinary", field = "urban-construction", linkedSuggestionIds = new[] { second, third } });
        await CompleteAsync(office, second, "analyse", new { outcome = "Ordinary", field = "urban-construction" });
        await CompleteAsync(office, third, "analyse", new { outcome = "Ordinary", field = "urban-construction" });
        await CompleteAsync(office, first, "assign", new { outcome = "Assigned", unitIds = new[] { housing.Id } });

        // The linked items wait on the first: no tasks, no unit tasks; their page and card say so, in Chinese.
        Assert.Empty(await OpenTasksAsync(second));
        Assert.Equal(0, await AskAsync(db => db.UnitTasks.CountAsync(t => t.SuggestionId == second || t.SuggestionId == third)));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var sender = scope.ServiceProvider.GetRequiredService<ISender>();
            Assert.Equal("16-2026-0001", (await sender.Send(new GetSuggestionFile(second)))!.HandledWith);
            var card = Assert.Single((await sender.Send(new GetDeputyItems([deputies[2].Id], DeputyItemFilter.All))).Items);
            Assert.Equal(("16-2026-0001", SuggestionStatus.Assigned), (card.HandledWith, card.Status));
            Assert.Null((await sender.Send(new GetSuggestionFile(first)))!.HandledWith);
        }

        await CompleteAsync(handler, first, "signFor", new { outcome = "Signed" });
        await CompleteAsync(handler, first, "consult", new { outcome = "Consulted", at = DateTimeOffset.UtcNow.AddHours(-1), method = "Visit", stage = "Before", participants = "李代表" });
        await CompleteAsync(handler, first, "reply", new { outcome = "Replied", category = "B", text = "三件建议一并答复：已列入今年加装计划。" });
        await CompleteAsync(head, first, "approve", new { outcome = "Approved" });

        // One reply answered all three: each item has its own sent reply, with the same text, for its own deputy.
        var replies = await AskAsync(db => db.Replies.AsNoTracking().Where(r => items.Contains(r.SuggestionId)).ToListAsync());
        Assert.Equal(3, replies.Count);
        Assert.Single(replies.Select(r => (r.Text, r.TaskId, r.Status)).Distinct());
        Guid ReplyOf(Guid item) => replies.Single(r => r.SuggestionId == item).Id;

        // A deputy who did not sign an item cannot evaluate its reply: problem details, nothing recorded.
        var refused = await deputy[1].PostAsJsonAsync($"/api/replies/{ReplyOf(third)}/evaluations", new { result = "Dissatisfied", comment = "不是我的建议" });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await AskAsync(db => db.Evaluations.CountAsync()));
        Assert.Single(await OpenTasksAsync(third), t => t.GetProperty("activityId").GetString() == "evaluate");

        async Task EvaluateAsync(int who, Guid item, string result, string comment)
        {
            var response = await deputy[who].PostAsJsonAsync($"/api/replies/{ReplyOf(item)}/evaluations", new { result, comment });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        await EvaluateAsync(0, first, "Satisfied", "满意");
        await EvaluateAsync(1, second, "BasicallySatisfied", "基本满意");
        await EvaluateAsync(2, third, "Dissatisfied", "补贴标准仍不明确");

        // The dissatisfied item alone is re-handled, by the unit that replied; the others close.
        var rehandle = Assert.Single(await OpenTasksAsync(third));
        Assert.Equal(("rehandle", housing.Id.ToString()), (rehandle.GetProperty("activityId").GetString(), rehandle.GetProperty("assigneeId").GetString()));
        Assert.Empty(await OpenTasksAsync(second));

        // Category B stays open for tracking (跟踪办理) on the first item's reply only: it is not owed once per item.
        Assert.Equal(["followUp"], (await OpenTasksAsync(first)).Select(t => t.GetProperty("activityId").GetString()));
        await CompleteAsync(handler, first, "followUp", new { outcome = "Solved", note = "已全部完成加装" });
        await CompleteAsync(handler, third, "rehandle", new { outcome = "Replied", category = "A", text = "补贴标准已明确：每台电梯补贴20万元。" });
        await CompleteAsync(head, third, "approve", new { outcome = "Approved" });
        var again = await AskAsync(db => db.Replies.AsNoTracking().SingleAsync(r => r.SuggestionId == third && r.Round == 2));
        var response = await deputy[2].PostAsJsonAsync($"/api/replies/{again.Id}/evaluations", new { result = "Satisfied", comment = "满意" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        foreach (var item in items)
        {
            Assert.Empty(await OpenTasksAsync(item));
            var detail = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/suggestions/{item}", UriKind.Relative));
            Assert.Equal(("Closed", "Finished"), (detail.GetProperty("suggestion").GetProperty("status").GetString(), detail.GetProperty("workflowStatus").GetString()));
        }

        Assert.Equal(
            [(first, 1), (second, 1), (third, 1), (third, 2)],
            (await AskAsync(db => db.Evaluations.Join(db.Replies, e => e.ReplyId, r => r.Id, (e, r) => new { e.SuggestionId, r.Round }).ToListAsync()))
                .Select(x => (x.SuggestionId, x.Round)).OrderBy(x => Array.IndexOf(items, x.SuggestionId)).ThenBy(x => x.Round));
        Assert.Equal(1, await AskAsync(db => db.UnitTasks.CountAsync(t => t.SuggestionId == third && t.Status == UnitTaskStatus.Replied)));
    }
}
