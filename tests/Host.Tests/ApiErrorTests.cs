using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Host.Tests;

/// <summary>One error shape for the API: problem details naming the field, control characters refused, and the OpenAPI document.</summary>
public sealed class ApiErrorTests
{
    private static async Task<(LiaisonWebApp App, HttpClient Deputy, HttpClient Admin)> StartAsync(TestDatabase database)
    {
        var app = await LiaisonWebApp.StartAsync(database);
        var deputy = new Deputy { Name = "王代表", Level = DeputyLevel.City, Term = 16 };
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
            db.Add(deputy);
            await db.SaveChangesAsync();
        }

        return (app, await app.ClientForAsync([Roles.Deputy], deputyId: deputy.Id.ToString()), await app.ClientForAsync(Roles.Admin));
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response, string field)
    {
        var problem = await ProblemAsync(response);
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"no error for '{field}': {problem}");
        return errors;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        return client.SendAsync(new HttpRequestMessage(method, path) { Content = content });
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string json) =>
        SendAsync(client, method, path, Encoding.UTF8.GetBytes(json));

    [Fact]
    public async Task A_wrong_JSON_type_names_the_field_and_malformed_null_or_invalid_UTF8_bodies_are_400()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "api-errors");
        var (app, deputy, admin) = await StartAsync(database);
        await using var _ = app;

        await ErrorsAsync(await SendAsync(deputy, HttpMethod.Post, "/api/suggestions", """{"term":"x"}"""), "term");
        await ErrorsAsync(await SendAsync(deputy, HttpMethod.Post, "/api/suggestions", """{"term":16,"title":"t","coSignerIds":[1]}"""), "coSignerIds[0]");
        await ErrorsAsync(await SendAsync(deputy, HttpMethod.Post, "/api/opinions", """{"citizenName":"张三","channel":"Carrier pigeon","content":"x"}"""), "channel");
        await ErrorsAsync(await SendAsync(admin, HttpMethod.Post, "/api/admin/users", """{"userName":"li","roles":"Leader"}"""), "roles");

        // Bad bodies on every JSON endpoint: 400 problem details, never 500.
        var invalidUtf8 = Encoding.UTF8.GetBytes("""{"term":16,"title":"X","text":"ok"}""");
        invalidUtf8[Array.IndexOf(invalidUtf8, (byte)'X')] = 0xFF;
        var endpoints = new (HttpClient Client, HttpMethod Method, string Path)[]
        {
            (deputy, HttpMethod.Post, "/api/suggestions"),
            (deputy, HttpMethod.Post, "/api/opinions"),
            (deputy, HttpMethod.Post, $"/api/replies/{Guid.NewGuid()}/evaluations"),
            (admin, HttpMethod.Post, "/api/admin/users"),
            (admin, HttpMethod.Put, "/api/admin/users/nobody/roles"),
            (admin, HttpMethod.Put, "/api/message-templates/task.assigned"),
        };
        var failures = new List<string>();
        foreach (var (client, method, path) in endpoints)
        {
            foreach (var (name, body) in new[] { ("null", "null"u8.ToArray()), ("malformed", """{"term":"""u8.ToArray()), ("invalid UTF-8", invalidUtf8) })
            {
                using var response = await SendAsync(client, method, path, body);
                // An unknown reply answers 404 before it reads a body it cannot use; what matters is never a 500 nor a silent success.
                var allowed = path.Contains("/replies/", StringComparison.Ordinal) || path.Contains("/nobody/", StringComparison.Ordinal)
                    ? response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound
                    : response.StatusCode == HttpStatusCode.BadRequest;
                if (!allowed || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{name} body to {method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
        Assert.Equal(0, await db.Suggestions.CountAsync());
        Assert.Equal(0, await db.PublicOpinions.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Control_characters_are_refused_on_every_text_API_by_field_and_nothing_is_stored(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "control-chars");
        var (app, deputy, admin) = await StartAsync(database);
        await using var _ = app;
        const string Garbage = "\u0000\u0001";

        await ErrorsAsync(await deputy.PostAsJsonAsync("/api/suggestions", new { term = 16, title = Garbage, text = "正文" }), "title");
        await ErrorsAsync(await deputy.PostAsJsonAsync("/api/suggestions", new { term = 16, title = "标题", text = "正文\u0007" }), "text");
        await ErrorsAsync(await deputy.PostAsJsonAsync("/api/opinions", new { citizenName = "张\u0000三", channel = "DeputyCode", content = "路灯坏了" }), "citizenName");
        await ErrorsAsync(await deputy.PostAsJsonAsync("/api/opinions", new { citizenName = "张三", channel = "DeputyCode", content = Garbage }), "content");
        await ErrorsAsync(await admin.PostAsJsonAsync("/api/admin/users", new { userName = "li", displayName = Garbage, password = "Good-password-1", roles = new[] { "Leader" } }), "displayName");
        await ErrorsAsync(await admin.PutAsJsonAsync("/api/message-templates/task.assigned", new { subject = "待办\u0000", body = "请办理" }), "subject");

        // Line breaks and tabs are text, not control characters.
        var fine = await deputy.PostAsJsonAsync("/api/suggestions", new { term = 16, title = "关于\t公交", text = "第一段\r\n第二段" });
        Assert.Equal(HttpStatusCode.Created, fine.StatusCode);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
        Assert.Equal(["关于\t公交"], await db.Suggestions.Select(s => s.Title).ToListAsync());
        Assert.Equal(0, await db.PublicOpinions.CountAsync());
        var users = await admin.GetStringAsync(new Uri("/api/admin/users", UriKind.Relative));
        Assert.DoesNotContain("\"li\"", users, StringComparison.Ordinal);
        var template = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/message-templates/task.assigned", UriKind.Relative));
        Assert.False(template.GetProperty("customised").GetBoolean());
    }

    [Fact]
    public async Task The_OpenAPI_document_declares_bearer_and_cookie_and_lists_only_truly_required_fields()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "openapi");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var document = await app.Client.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative));

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("http", schemes.GetProperty("Bearer").GetProperty("type").GetString());
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.Equal("apiKey", schemes.GetProperty("Cookie").GetProperty("type").GetString());
        Assert.Equal("cookie", schemes.GetProperty("Cookie").GetProperty("in").GetString());
        Assert.Equal("liaison.auth", schemes.GetProperty("Cookie").GetProperty("name").GetString());

        var paths = document.GetProperty("paths");
        string[] SchemesOf(string path, string method) =>
            paths.GetProperty(path).GetProperty(method).TryGetProperty("security", out var security)
                ? security.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).Order().ToArray()
                : [];
        Assert.Equal(["Bearer", "Cookie"], SchemesOf("/api/suggestions", "post"));
        Assert.Equal(["Bearer", "Cookie"], SchemesOf("/api/admin/users", "post"));
        Assert.Equal([], SchemesOf("/api/auth/token", "post"));

        var schemas = document.GetProperty("components").GetProperty("schemas");
        string[] RequiredOf(string schema) =>
            schemas.GetProperty(schema).TryGetProperty("required", out var required)
                ? required.EnumerateArray().Select(r => r.GetString()!).Order().ToArray()
                : [];
        Assert.Equal(["term", "title"], RequiredOf("SubmitSuggestionRequest"));
        Assert.Equal(["channel", "citizenName", "content"], RequiredOf("RecordOpinionRequest"));
        Assert.Equal([], RequiredOf("CreateUserRequest"));
        Assert.Equal([], RequiredOf("EvaluateReplyRequest"));
    }
}
