using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Liaison.Domain.Common;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Liaison.Host.Deputies;
using Liaison.Host.Identity;
using Liaison.Testing;
using Liaison.Workflows.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

/// <summary>联名确认 over HTTP: the co-signer is asked, confirms or refuses for themselves, and everyone else is refused.</summary>
public sealed class CoSignatureApiTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_co_signer_is_asked_and_answers_while_others_get_403_404_or_409(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "cosign-api");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var (lead, coSigner, outsider) = (NewDeputy("王建国"), NewDeputy("李秀英"), NewDeputy("张伟"));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.AddRange(lead, coSigner, outsider);
            await db.SaveChangesAsync();
        }

        var leadClient = await app.ClientForAsync([Roles.Deputy], deputyId: lead.Id.ToString());
        var coClient = await app.ClientForAsync([Roles.Deputy], deputyId: coSigner.Id.ToString());
        var outsiderClient = await app.ClientForAsync([Roles.Deputy], deputyId: outsider.Id.ToString());
        var office = await app.ClientForAsync(Roles.LiaisonOffice);

        var id = await SubmitAsync(leadClient, "关于增设公交站点的建议", coSigner.Id);
        var second = await SubmitAsync(leadClient, "关于延长地铁运营时间的建议", coSigner.Id);

        // Asked: one message to the co-signer, linking to the suggestion's page.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var outbox = await scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>().Outbox.AsNoTracking()
                .Where(o => o.ActivityId == CoSignatures.OutboxActivity).ToListAsync();
            Assert.Equal(2, outbox.Count);
            var asked = outbox.Single(o => o.Message.Contains($"/suggestions/{id}", StringComparison.Ordinal));
            Assert.Equal($"deputy:{coSigner.Id}", asked.Recipient);
            Assert.Contains("王建国", asked.Message, StringComparison.Ordinal);
        }

        await ExpectProblemAsync(await office.PostAsync(Confirm(id), null), HttpStatusCode.Forbidden);
        await ExpectProblemAsync(await outsiderClient.PostAsync(Confirm(id), null), HttpStatusCode.NotFound);
        await ExpectProblemAsync(await coClient.PostAsync(Confirm(Guid.NewGuid()), null), HttpStatusCode.NotFound);
        await ExpectProblemAsync(await leadClient.PostAsync(Confirm(id), null), HttpStatusCode.Conflict, ErrorCodes.CoSignatureNotACoSigner);
        var tooLong = await ExpectProblemAsync(await coClient.PostAsJsonAsync(Refuse(id), new { reason = new string('长', 501) }), HttpStatusCode.BadRequest);
        Assert.True(tooLong.GetProperty("errors").TryGetProperty("reason", out _), tooLong.GetRawText());
        Assert.Equal("Pending", await StateAsync(leadClient, id));

        var confirmed = await coClient.PostAsync(Confirm(id), null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("Confirmed", (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        Assert.Equal("Confirmed", await StateAsync(leadClient, id));
        await ExpectProblemAsync(await coClient.PostAsJsonAsync(Refuse(id), new { reason = "改主意了" }), HttpStatusCode.Conflict, ErrorCodes.CoSignatureAnswered);
        Assert.Equal("Confirmed", await StateAsync(leadClient, id));

        // Refusing takes the deputy off the suggestion: it is no longer in their list.
        var refused = await coClient.PostAsJsonAsync(Refuse(second), new { reason = "未参与调研" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal("Refused", await StateAsync(leadClient, second));
        Assert.Equal(HttpStatusCode.NotFound, (await coClient.GetAsync(new Uri($"/api/suggestions/{second}", UriKind.Relative))).StatusCode);
        var leadView = await leadClient.GetFromJsonAsync<JsonElement>(new Uri($"/api/suggestions/{second}", UriKind.Relative));
        Assert.Empty(leadView.GetProperty("suggestion").GetProperty("coSignerIds").EnumerateArray());

        // Once the office has decided on admission, an answer is too late.
        var third = await SubmitAsync(leadClient, "关于增加社区养老服务点的建议", coSigner.Id);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ISender>().Send(new ReceiveSuggestion(third, true, null, null, new Actor("office", "代表工委")));
        }

        await ExpectProblemAsync(await coClient.PostAsync(Confirm(third), null), HttpStatusCode.Conflict, ErrorCodes.CoSignatureClosed);
        Assert.Equal("Pending", await StateAsync(leadClient, third));
    }

    private static Deputy NewDeputy(string name) => new() { Name = name, Level = DeputyLevel.City, Term = 16 };

    private static Uri Confirm(Guid id) => new($"/api/suggestions/{id}/co-signature/confirm", UriKind.Relative);

    private static Uri Refuse(Guid id) => new($"/api/suggestions/{id}/co-signature/refuse", UriKind.Relative);

    private static async Task<Guid> SubmitAsync(HttpClient client, string title, Guid coSigner)
    {
        var response = await client.PostAsJsonAsync("/api/suggestions", new { term = 16, title, text = "正文", coSignerIds = new[] { coSigner } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<string?> StateAsync(HttpClient lead, Guid id)
    {
        var detail = await lead.GetFromJsonAsync<JsonElement>(new Uri($"/api/suggestions/{id}", UriKind.Relative));
        return detail.GetProperty("suggestion").GetProperty("coSignatures").EnumerateArray().Single().GetProperty("state").GetString();
    }

    private static async Task<JsonElement> ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        if (code is not null)
        {
            Assert.Equal(code, problem.GetProperty("code").GetString());
        }

        return problem;
    }
}
