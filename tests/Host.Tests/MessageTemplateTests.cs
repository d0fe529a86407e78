using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

public sealed class MessageTemplateTests
{
    [Fact]
    public async Task An_administrator_changes_a_message_text_a_bad_template_changes_nothing_and_the_next_notice_uses_the_new_text()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "templates");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var admin = await app.ClientForAsync(Roles.Admin);
        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var signer = new Deputy { Name = "王代表", Level = DeputyLevel.City, Term = 16 };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.Add(signer);
            await db.SaveChangesAsync();
        }

        var deputy = await app.ClientForAsync([Roles.Deputy], deputyId: signer.Id.ToString());

        Assert.Equal(HttpStatusCode.Forbidden, (await office.GetAsync(new Uri("/api/message-templates", UriKind.Relative))).StatusCode);
        var list = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/message-templates", UriKind.Relative));
        var keys = list.EnumerateArray().Select(t => t.GetProperty("key").GetString()).ToList();
        Assert.Contains("task.reminder", keys);
        Assert.Contains("task.assigned:Suggestions.RequestEvaluation", keys);
        Assert.Contains("digest.overdue", keys);

        // Both parts are checked; every problem is listed; the shipped text stays.
        var bad = await admin.PutAsJsonAsync("/api/message-templates/task.assigned", new { subject = "{{ task.title ", body = "{% for x in %}" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, problem.GetProperty("problems").GetArrayLength());
        var unchanged = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/message-templates/task.assigned", UriKind.Relative));
        Assert.False(unchanged.GetProperty("customised").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync("/api/message-templates/no.such", new { subject = "x", body = "y" })).StatusCode);

        var saved = await admin.PutAsJsonAsync("/api/message-templates/task.assigned", new { subject = "自定义：{{ task.title }}", body = "请办理 {{ subject.title }}" });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        // The next task's notice is written with the new text: the office gets one for the suggestion to receive.
        Assert.Equal(HttpStatusCode.Created, (await deputy.PostAsJsonAsync("/api/suggestions", new { term = 16, title = "关于增设公交站点的建议", text = "正文" })).StatusCode);
        JsonElement? notice = null;
        for (var attempt = 0; attempt < 300 && notice is null; attempt++)
        {
            var mine = await office.GetFromJsonAsync<JsonElement>(new Uri("/api/notifications", UriKind.Relative));
            notice = mine.GetProperty("items").EnumerateArray().Where(n => n.GetProperty("subject").GetString()?.StartsWith("自定义：", StringComparison.Ordinal) == true).Cast<JsonElement?>().FirstOrDefault();
            if (notice is null)
            {
                await Task.Delay(100);
            }
        }

        Assert.NotNull(notice);
        Assert.Equal("请办理 关于增设公交站点的建议", notice.Value.GetProperty("message").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri("/api/message-templates/task.assigned", UriKind.Relative))).StatusCode);
        var restored = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/message-templates/task.assigned", UriKind.Relative));
        Assert.False(restored.GetProperty("customised").GetBoolean());
        Assert.StartsWith("【新任务】", restored.GetProperty("subject").GetString(), StringComparison.Ordinal);
    }
}
