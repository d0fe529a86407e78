using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Liaison.Domain.Attachments;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

/// <summary>
/// Reply attachments over HTTP on both providers: uploads refused as problem details with nothing stored, files kept
/// outside wwwroot under generated names, a forged id refused by the reply, and downloads for exactly those who read
/// the suggestion (another unit or deputy: 404).
/// </summary>
public sealed class AttachmentApiTests
{
    private static readonly byte[] Pdf = [.. "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"u8];

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_unit_attaches_files_to_its_reply_and_only_readers_of_the_suggestion_download_them(DatabaseProvider provider)
    {
        var clock = FakeClock.Create();
        var folder = Path.Combine(Path.GetTempPath(), "liaison-attach-api-" + Guid.NewGuid().ToString("N"));
        await using var database = await TestDatabase.CreateAsync(provider, "attach-api");
        await using var app = await LiaisonWebApp.StartAsync(
            database,
            new Dictionary<string, string?>
            {
                ["Liaison:Auth:TokenLifetime"] = "365.00:00:00",
                ["Liaison:Attachments:Path"] = folder,
                ["Liaison:Attachments:MaxFileBytes"] = "4096",
            },
            s => s.UseFakeClock(clock));
        var unit = new HandlingUnit { Name = "市交通运输局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        var other = new HandlingUnit { Name = "市教育局", Kind = HandlingUnitKind.GovernmentDepartment, HeadName = "局长" };
        var headUser = await app.CreateUserAsync([Roles.UnitHead], unitId: unit.Id.ToString());
        unit.HeadUserId = headUser.Id;
        var lead = new Deputy { Name = "王代表", Level = DeputyLevel.City, Term = 16 };
        var stranger = new Deputy { Name = "李代表", Level = DeputyLevel.City, Term = 16 };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.AddRange(unit, other, lead, stranger);
            await db.SaveChangesAsync();
        }

        var deputy = await app.ClientForAsync([Roles.Deputy], deputyId: lead.Id.ToString());
        var otherDeputy = await app.ClientForAsync([Roles.Deputy], deputyId: stranger.Id.ToString());
        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var handler = await app.ClientForAsync(Roles.UnitHandler, unit.Id.ToString());
        var colleague = await app.ClientForAsync(Roles.UnitHandler, unit.Id.ToString());
        var otherHandler = await app.ClientForAsync(Roles.UnitHandler, other.Id.ToString());
        var head = await app.TokenClientAsync(headUser.UserName, headUser.Password);

        var submitted = await ReadAsync(await deputy.PostAsJsonAsync("/api/suggestions", new { term = 16, title = "关于优化公交线路的建议", text = "正文" }), HttpStatusCode.Created);
        var id = submitted.GetProperty("id").GetGuid();

        async Task<Guid> TaskAsync(string activityId)
        {
            var page = await office.GetFromJsonAsync<JsonElement>(new Uri($"/api/workflows/tasks?correlationKey={id}&status=Open&take=100", UriKind.Relative));
            return page.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("activityId").GetString() == activityId).GetProperty("id").GetGuid();
        }

        async Task<HttpResponseMessage> CompleteAsync(HttpClient client, string activityId, object body) =>
            await client.PostAsJsonAsync($"/api/workflows/tasks/{await TaskAsync(activityId)}/complete", body);

        foreach (var (activity, body) in new (string, object)[]
        {
            ("receive", new { outcome = "Admitted" }),
            ("analyse", new { outcome = "Ordinary", field = "transport" }),
            ("assign", new { outcome = "Assigned", unitIds = new[] { unit.Id } }),
        })
        {
            await ReadAsync(await CompleteAsync(office, activity, body), HttpStatusCode.OK);
        }

        // Another unit and a deputy cannot upload: the suggestion does not exist for them.
        await ReadAsync(await UploadAsync(otherHandler, id, "a.pdf", Pdf), HttpStatusCode.NotFound);
        await ReadAsync(await UploadAsync(deputy, id, "a.pdf", Pdf), HttpStatusCode.NotFound);

        // A name that climbs out of the folder is only a label; the bytes go under a generated name outside wwwroot.
        var mine = await ReadAsync(await UploadAsync(handler, id, "../../wwwroot/答复函.pdf", Pdf), HttpStatusCode.Created);
        Assert.Equal("答复函.pdf", mine.GetProperty("fileName").GetString());
        Assert.Equal("application/pdf", mine.GetProperty("contentType").GetString());
        var mineId = mine.GetProperty("id").GetGuid();
        var stored = await StoredPathAsync(app, mineId);
        Assert.StartsWith(Path.GetFullPath(folder) + Path.DirectorySeparatorChar, stored, StringComparison.Ordinal);
        Assert.Equal(Pdf, await File.ReadAllBytesAsync(stored));
        var webRoot = Path.GetFullPath(Path.Combine(SourcePaths.HostProject, "wwwroot"));
        Assert.False(stored.StartsWith(webRoot, StringComparison.Ordinal), stored);
        Assert.False(File.Exists(Path.Combine(webRoot, "答复函.pdf")));

        // Refused files: 400 problem details naming "file", and nothing stored.
        var exe = await ReadAsync(await UploadAsync(handler, id, "setup.exe", [0x4D, 0x5A, 0x90, 0x00]), HttpStatusCode.BadRequest);
        Assert.StartsWith("type not allowed", exe.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        var renamed = await ReadAsync(await UploadAsync(handler, id, "report.pdf", [0x4D, 0x5A, 0x90, 0x00]), HttpStatusCode.BadRequest);
        Assert.StartsWith("content does not match", renamed.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        var big = await ReadAsync(await UploadAsync(handler, id, "big.pdf", [.. Pdf, .. new byte[5000]]), HttpStatusCode.BadRequest);
        Assert.StartsWith("too large", big.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        var missing = await handler.PostAsync(new Uri($"/api/suggestions/{id}/attachments", UriKind.Relative), new MultipartFormDataContent());
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        await ReadAsync(missing, HttpStatusCode.BadRequest);

        // A colleague's pending upload.
        var theirs = (await ReadAsync(await UploadAsync(colleague, id, "草稿.pdf", Pdf), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        Assert.Equal(2, await CountAsync(app));
        Assert.Equal(2, Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Length);

        // 签收, 面商, then the reply: a forged id (the colleague's file) is 400 naming "attachments" and nothing is replied.
        clock.Advance(TimeSpan.FromDays(1));
        await ReadAsync(await CompleteAsync(handler, "signFor", new { outcome = "Signed" }), HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromDays(7));
        await ReadAsync(await CompleteAsync(handler, "consult", new { outcome = "Consulted", at = clock.GetUtcNow().AddHours(-1), method = "Visit", stage = "Before", participants = "王代表, 局长" }), HttpStatusCode.OK);
        var forged = await ReadAsync(
            await CompleteAsync(handler, "reply", new { outcome = "Replied", category = "A", text = "已调整线路", attachments = new[] { mineId, theirs } }), HttpStatusCode.BadRequest);
        Assert.True(forged.GetProperty("errors").TryGetProperty("attachments", out _), forged.ToString());
        await TaskAsync("reply");
        await ReadAsync(await CompleteAsync(handler, "reply", new { outcome = "Replied", category = "A", text = "已调整线路", attachments = new[] { mineId } }), HttpStatusCode.OK);

        // The unit, the office and the head download it; the deputy not before the reply is sent; another unit never.
        var download = await handler.GetAsync(new Uri($"/api/attachments/{mineId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("答复函.pdf", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync(new Uri($"/api/attachments/{mineId}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await head.GetAsync(new Uri($"/api/attachments/{mineId}", UriKind.Relative))).StatusCode);
        await ReadAsync(await deputy.GetAsync(new Uri($"/api/attachments/{mineId}", UriKind.Relative)), HttpStatusCode.NotFound);
        await ReadAsync(await otherHandler.GetAsync(new Uri($"/api/attachments/{mineId}", UriKind.Relative)), HttpStatusCode.NotFound);

        // A pending file is its uploader's alone.
        await ReadAsync(await handler.GetAsync(new Uri($"/api/attachments/{theirs}", UriKind.Relative)), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync(new Uri($"/api/attachments/{theirs}", UriKind.Relative))).StatusCode);

        // Sent: the suggestion's deputy downloads it; another deputy still gets 404.
        await ReadAsync(await CompleteAsync(head, "approve", new { outcome = "Approved" }), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await deputy.GetAsync(new Uri($"/api/attachments/{mineId}", UriKind.Relative))).StatusCode);
        await ReadAsync(await otherDeputy.GetAsync(new Uri($"/api/attachments/{mineId}", UriKind.Relative)), HttpStatusCode.NotFound);
        await ReadAsync(await deputy.GetAsync(new Uri($"/api/attachments/{Guid.NewGuid()}", UriKind.Relative)), HttpStatusCode.NotFound);

        // The colleague takes back their pending file: row and bytes go.
        Assert.Equal(HttpStatusCode.NoContent, (await colleague.DeleteAsync(new Uri($"/api/attachments/{theirs}", UriKind.Relative))).StatusCode);
        Assert.Equal(1, await CountAsync(app));
        Assert.Single(Directory.GetFiles(folder, "*", SearchOption.AllDirectories));
        Directory.Delete(folder, recursive: true);
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid suggestion, string name, byte[] content)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name);
        return client.PostAsync(new Uri($"/api/suggestions/{suggestion}/attachments", UriKind.Relative), form);
    }

    private static async Task<string> StoredPathAsync(LiaisonWebApp app, Guid id)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var key = await scope.ServiceProvider.GetRequiredService<LiaisonDbContext>().Attachments.Where(a => a.Id == id).Select(a => a.StorageKey).SingleAsync();
        return app.Services.GetRequiredService<AttachmentStore>().PathOf(key);
    }

    private static async Task<int> CountAsync(LiaisonWebApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LiaisonDbContext>().Attachments.CountAsync();
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }
}
