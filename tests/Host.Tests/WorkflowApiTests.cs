using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Liaison.Testing.Flowcharts;

namespace Liaison.Host.Tests;

/// <summary>The engine's REST API end to end, on the real Host with Hangfire, on both providers, as the roles that use it.</summary>
public sealed class WorkflowApiTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Draft_publish_start_complete_task_and_read_the_journal(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "api");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var designer = await app.ClientForAsync(Roles.Designer);
        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var handler = await app.ClientForAsync(Roles.UnitHandler, unitId: "u1");
        var flow = Build(
            "api-review",
            [
                Activity("start", "Start"),
                Activity("review", "HumanTask", new JsonObject
                {
                    ["title"] = Literal("签收"),
                    ["assigneeKind"] = Literal("Unit"),
                    ["assigneeId"] = Literal("u1"),
                    ["outcomes"] = Literal(new JsonArray("Sign", "Return")),
                }),
                Activity("signed", "WriteLine", new JsonObject { ["text"] = Literal("signed") }),
            ],
            [("start", "Done", "review"), ("review", "Sign", "signed")]);

        var draft = await ReadAsync(await designer.PutAsync(new Uri("/api/workflows/definitions/api-review/draft", UriKind.Relative), Json(flow)), HttpStatusCode.OK);
        Assert.Equal("Draft", draft.GetProperty("info").GetProperty("status").GetString());
        Assert.Equal(0, draft.GetProperty("problems").GetArrayLength());

        var refused = await ReadAsync(await office.PostAsJsonAsync("/api/workflows/instances", new { definitionId = "api-review" }), HttpStatusCode.Conflict);
        Assert.Contains("no published version", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var published = await ReadAsync(await designer.PostAsync(new Uri("/api/workflows/definitions/api-review/publish", UriKind.Relative), null), HttpStatusCode.OK);
        Assert.True(published.GetProperty("isPublished").GetBoolean());

        var started = await ReadAsync(await office.PostAsJsonAsync("/api/workflows/instances", new { definitionId = "api-review", correlationKey = "S-2026-001" }), HttpStatusCode.Created);
        var instanceId = started.GetProperty("instance").GetProperty("id").GetString();
        Assert.Equal("Suspended", started.GetProperty("instance").GetProperty("status").GetString());

        var tasks = await ReadAsync(await handler.GetAsync(new Uri("/api/workflows/tasks", UriKind.Relative)), HttpStatusCode.OK);
        var task = tasks.GetProperty("items").EnumerateArray().Single();
        var taskId = task.GetProperty("id").GetString();

        var badOutcome = await ReadAsync(await handler.PostAsJsonAsync($"/api/workflows/tasks/{taskId}/complete", new { outcome = "Maybe" }), HttpStatusCode.BadRequest);
        Assert.Contains("must be one of", badOutcome.GetProperty("errors").GetProperty("outcome")[0].GetString(), StringComparison.Ordinal);

        var completed = await ReadAsync(await handler.PostAsJsonAsync($"/api/workflows/tasks/{taskId}/complete", new { outcome = "Sign" }), HttpStatusCode.OK);
        Assert.Equal("Finished", completed.GetProperty("workflowStatus").GetString());
        var done = await ReadAsync(await office.GetAsync(new Uri($"/api/workflows/tasks/{taskId}", UriKind.Relative)), HttpStatusCode.OK);
        Assert.EndsWith("-unithandler", done.GetProperty("task").GetProperty("completedBy").GetString(), StringComparison.Ordinal);
        Assert.False(done.GetProperty("mayAct").GetBoolean());
        await ReadAsync(await handler.PostAsJsonAsync($"/api/workflows/tasks/{taskId}/complete", new { outcome = "Sign" }), HttpStatusCode.Conflict);

        var journal = await ReadAsync(await office.GetAsync(new Uri($"/api/workflows/instances/{instanceId}/journal", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Contains(journal.EnumerateArray(), j => j.GetProperty("event").GetString() == "Output" && j.GetProperty("message").GetString() == "signed");

        var list = await ReadAsync(await office.GetAsync(new Uri("/api/workflows/instances?definitionId=api-review&status=Finished", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        await ReadAsync(await office.GetAsync(new Uri($"/api/workflows/instances/{Guid.NewGuid()}", UriKind.Relative)), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Publishing_an_invalid_definition_lists_every_problem_as_problem_details()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "api-invalid");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var designer = await app.ClientForAsync(Roles.Designer);
        var broken = Build(
            "api-broken",
            [Activity("start", "Start"), Activity("when", "Timer", new JsonObject { ["cron"] = Literal("not a cron") }), Activity("say", "WriteLine")],
            [("start", "Done", "when"), ("when", "Done", "say"), ("ghost", "Done", "say")]);
        await ReadAsync(await designer.PutAsync(new Uri("/api/workflows/definitions/api-broken/draft", UriKind.Relative), Json(broken)), HttpStatusCode.OK);

        var response = await designer.PostAsync(new Uri("/api/workflows/definitions/api-broken/publish", UriKind.Relative), null);
        var problem = await ReadAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var codes = problem.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("code").GetString()).ToList();
        Assert.Contains("InvalidCron", codes);
        Assert.Contains("MissingRequiredInput", codes);
        Assert.Contains("DanglingConnection", codes);
        Assert.Contains(problem.GetProperty("problems").EnumerateArray(), p => p.GetProperty("activityId").GetString() == "when");

        var validate = await ReadAsync(await designer.PostAsync(new Uri("/api/workflows/definitions/validate", UriKind.Relative), Json(broken)), HttpStatusCode.OK);
        Assert.False(validate.GetProperty("valid").GetBoolean());

        var malformed = await designer.PutAsync(new Uri("/api/workflows/definitions/x/draft", UriKind.Relative), Json("{\"root\": 5}"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Elsa_file_imports_as_a_draft_and_an_unsupported_type_blocks_only_its_publishing()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "api-elsa");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var designer = await app.ClientForAsync(Roles.Designer);
        var elsa = await File.ReadAllTextAsync(Path.Combine(SourcePaths.Repository, "tests", "Workflows.Tests", "ElsaSamples", "implicit-loop.json"));

        var imported = await ReadAsync(await designer.PostAsync(new Uri("/api/workflows/definitions/import", UriKind.Relative), Json(elsa)), HttpStatusCode.Created);
        var definitionId = imported.GetProperty("info").GetProperty("definitionId").GetString();
        Assert.Equal(0, imported.GetProperty("problems").GetArrayLength());
        await ReadAsync(await designer.PostAsync(new Uri($"/api/workflows/definitions/{definitionId}/publish", UriKind.Relative), null), HttpStatusCode.OK);
        var run = await ReadAsync(await designer.PostAsJsonAsync("/api/workflows/instances", new { definitionId }), HttpStatusCode.Created);
        Assert.Equal(["Do something", "Retry", "Do something", "Done"], run.GetProperty("lines").EnumerateArray().Select(l => l.GetString()));

        var unknown = JsonNode.Parse(elsa)!.AsObject();
        unknown["definitionId"] = "with-unknown";
        unknown["root"]!["activities"]!.AsArray()[0]!["type"] = "Acme.Teleport";
        var withUnknown = await ReadAsync(await designer.PostAsync(new Uri("/api/workflows/definitions/import", UriKind.Relative), Json(unknown.ToJsonString())), HttpStatusCode.Created);
        Assert.Contains(withUnknown.GetProperty("problems").EnumerateArray(), p => p.GetProperty("message").GetString()!.Contains("Acme.Teleport", StringComparison.Ordinal));
        await ReadAsync(await designer.PostAsync(new Uri("/api/workflows/definitions/with-unknown/publish", UriKind.Relative), null), HttpStatusCode.UnprocessableEntity);

        var descriptors = await ReadAsync(await designer.GetAsync(new Uri("/api/workflows/activities", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Contains(descriptors.EnumerateArray(), d => d.GetProperty("typeName").GetString() == "HumanTask");
    }

    [Fact]
    public async Task Hostile_bodies_get_a_problem_not_a_500_and_import_saves_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "api-hostile");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var designer = await app.ClientForAsync(Roles.Designer);
        var invalidUtf8 = Encoding.UTF8.GetBytes("{\"definitionId\":\"bad\",\"name\":\"ab\",\"root\":{\"activities\":[]}}");
        invalidUtf8[30] = 0xFF;
        var bodies = new (string Name, HttpContent Content, string Expected)[]
        {
            ("invalid UTF-8", Bytes(invalidUtf8), "not valid UTF-8"),
            ("null root", Json("{\"definitionId\":\"nullroot\",\"root\":null,\"activities\":null}"), ""),
            ("null document", Json("null"), "JSON null"),
            ("null activity id", Json("{\"definitionId\":null,\"root\":{\"activities\":[null]}}"), "is null"),
            ("deep nesting", Json(new string('[', 5000) + new string(']', 5000)), "depth"),
            ("elsa 2", Json("{\"definitionId\":\"bad\",\"activities\":[{\"activityId\":\"a\",\"type\":\"WriteLine\"}],\"connections\":[]}"), "Elsa 2"),
            ("empty", Json(""), "empty"),
        };

        foreach (var (name, content, expected) in bodies)
        {
            foreach (var path in new[] { "validate", "import" })
            {
                var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/workflows/definitions/{path}", UriKind.Relative)) { Content = Clone(content) };
                var response = await designer.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.OK or HttpStatusCode.Created, $"{name} at {path}: {response.StatusCode} {body}");
                if (response.StatusCode == HttpStatusCode.BadRequest)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    Assert.Contains(expected, body, StringComparison.Ordinal);
                }
            }
        }

        // A null root is read as an empty flowchart: valid JSON, refused by validation with its problem listed.
        var nullRoot = await ReadAsync(await designer.PostAsync(new Uri("/api/workflows/definitions/validate", UriKind.Relative), Json("{\"definitionId\":\"x\",\"root\":null}")), HttpStatusCode.OK);
        Assert.Contains(nullRoot.GetProperty("problems").EnumerateArray(), p => p.GetProperty("code").GetString() == "NoStart");
        var list = await ReadAsync(await designer.GetAsync(new Uri("/api/workflows/definitions/bad", UriKind.Relative)), HttpStatusCode.NotFound);
        Assert.Contains("does not exist", list.GetProperty("detail").GetString(), StringComparison.Ordinal);

        static ByteArrayContent Bytes(byte[] bytes)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return content;
        }

        static HttpContent Clone(HttpContent content)
        {
            var copy = Bytes(content.ReadAsByteArrayAsync().GetAwaiter().GetResult());
            return copy;
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Hangfire_fires_a_workflow_timer_on_time(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "api-timer");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var designer = await app.ClientForAsync(Roles.Designer);
        var flow = Build(
            "api-delay",
            [Activity("start", "Start"), Activity("wait", "Delay", new JsonObject { ["duration"] = Literal("00:00:02") }), Activity("done", "WriteLine", new JsonObject { ["text"] = Literal("timer fired") })],
            [("start", "Done", "wait"), ("wait", "Done", "done")]);
        await ReadAsync(await designer.PutAsync(new Uri("/api/workflows/definitions/api-delay/draft", UriKind.Relative), Json(flow)), HttpStatusCode.OK);
        await ReadAsync(await designer.PostAsync(new Uri("/api/workflows/definitions/api-delay/publish", UriKind.Relative), null), HttpStatusCode.OK);

        var started = await ReadAsync(await designer.PostAsJsonAsync("/api/workflows/instances", new { definitionId = "api-delay" }), HttpStatusCode.Created);
        var id = started.GetProperty("instance").GetProperty("id").GetString();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        string? status = null;
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            var detail = await ReadAsync(await designer.GetAsync(new Uri($"/api/workflows/instances/{id}", UriKind.Relative)), HttpStatusCode.OK);
            status = detail.GetProperty("instance").GetProperty("status").GetString();
            if (status == "Finished")
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.True(status == "Finished", $"still {status} after {watch.Elapsed}: {await DiagnoseTimersAsync(app)}");
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.5), $"fired after {watch.Elapsed}, before it was due");
    }

    /// <summary>What the timer rows and Hangfire say, for a failure message.</summary>
    private static async Task<string> DiagnoseTimersAsync(LiaisonWebApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Liaison.Workflows.Persistence.WorkflowsDbContext>();
        var timers = await db.Timers.AsNoTracking().ToListAsync();
        var monitor = scope.ServiceProvider.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        var stats = monitor.GetStatistics();
        var failed = monitor.FailedJobs(0, 5).Select(j => $"{j.Value.ExceptionType}: {j.Value.ExceptionMessage}");
        return $"now {DateTimeOffset.UtcNow:O}; timers: {string.Join("; ", timers.Select(t => $"due {t.DueAt:O} fired {t.FiredAt:O} attempts {t.Attempts} error {t.LastError}"))}; " +
            $"hangfire: scheduled {stats.Scheduled}, enqueued {stats.Enqueued}, processing {stats.Processing}, succeeded {stats.Succeeded}, failed {stats.Failed}, servers {stats.Servers}; failures: {string.Join(" | ", failed)}";
    }

    [Fact]
    public async Task Two_apps_in_one_process_each_fire_their_own_timers()
    {
        // Hangfire keeps a process-global storage and job activator; each app must use its own, or a
        // job scheduled by the first app runs against the second app's database and finds nothing.
        await using var firstDb = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "api-two-a");
        await using var secondDb = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "api-two-b");
        await using var first = await LiaisonWebApp.StartAsync(firstDb);
        await using var second = await LiaisonWebApp.StartAsync(secondDb);
        var flow = Build(
            "api-two",
            [Activity("start", "Start"), Activity("wait", "Delay", new JsonObject { ["duration"] = Literal("00:00:01") }), Activity("done", "WriteLine", new JsonObject { ["text"] = Literal("fired") })],
            [("start", "Done", "wait"), ("wait", "Done", "done")]);

        var ids = new List<(HttpClient Client, string? Id)>();
        foreach (var app in new[] { first, second })
        {
            var designer = await app.ClientForAsync(Roles.Designer);
            await ReadAsync(await designer.PutAsync(new Uri("/api/workflows/definitions/api-two/draft", UriKind.Relative), Json(flow)), HttpStatusCode.OK);
            await ReadAsync(await designer.PostAsync(new Uri("/api/workflows/definitions/api-two/publish", UriKind.Relative), null), HttpStatusCode.OK);
            var started = await ReadAsync(await designer.PostAsJsonAsync("/api/workflows/instances", new { definitionId = "api-two" }), HttpStatusCode.Created);
            ids.Add((designer, started.GetProperty("instance").GetProperty("id").GetString()));
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        foreach (var (client, id) in ids)
        {
            string? status = null;
            while (watch.Elapsed < TimeSpan.FromSeconds(30) && status != "Finished")
            {
                await Task.Delay(100);
                var detail = await ReadAsync(await client.GetAsync(new Uri($"/api/workflows/instances/{id}", UriKind.Relative)), HttpStatusCode.OK);
                status = detail.GetProperty("instance").GetProperty("status").GetString();
            }

            Assert.Equal("Finished", status);
        }
    }

    [Fact]
    public async Task Embedded_restart_with_a_pending_timer_loses_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "api-restart");
        var flow = Build(
            "api-restart",
            [Activity("start", "Start"), Activity("wait", "Delay", new JsonObject { ["duration"] = Literal("00:00:03") }), Activity("done", "WriteLine", new JsonObject { ["text"] = Literal("after restart") })],
            [("start", "Done", "wait"), ("wait", "Done", "done")]);

        string? id;
        System.Net.Http.Headers.AuthenticationHeaderValue? token;
        await using (var first = await LiaisonWebApp.StartAsync(database))
        {
            var designer = await first.ClientForAsync(Roles.Designer);
            token = designer.DefaultRequestHeaders.Authorization;
            await ReadAsync(await designer.PutAsync(new Uri("/api/workflows/definitions/api-restart/draft", UriKind.Relative), Json(flow)), HttpStatusCode.OK);
            await ReadAsync(await designer.PostAsync(new Uri("/api/workflows/definitions/api-restart/publish", UriKind.Relative), null), HttpStatusCode.OK);
            var started = await ReadAsync(await designer.PostAsJsonAsync("/api/workflows/instances", new { definitionId = "api-restart" }), HttpStatusCode.Created);
            id = started.GetProperty("instance").GetProperty("id").GetString();
        }

        // The in-memory job store died with the first app; the durable timer row gets a new job on start.
        // The token of the first run still works: users and data-protection keys are in the database.
        await using var second = await LiaisonWebApp.StartAsync(database);
        var again = second.NewClient();
        again.DefaultRequestHeaders.Authorization = token;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        string? status = null;
        while (watch.Elapsed < TimeSpan.FromSeconds(30) && status != "Finished")
        {
            await Task.Delay(200);
            var detail = await ReadAsync(await again.GetAsync(new Uri($"/api/workflows/instances/{id}", UriKind.Relative)), HttpStatusCode.OK);
            status = detail.GetProperty("instance").GetProperty("status").GetString();
        }

        Assert.Equal("Finished", status);
        var journal = await ReadAsync(await again.GetAsync(new Uri($"/api/workflows/instances/{id}/journal", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Single(journal.EnumerateArray(), j => j.GetProperty("message").GetString() == "after restart");
    }

    [Fact]
    public async Task Shipped_definitions_are_published_on_start()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "api-shipped");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var reader = await app.ClientForAsync(Roles.Leader);

        var list = await ReadAsync(await reader.GetAsync(new Uri("/api/workflows/definitions", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Contains(list.EnumerateArray(), d => d.GetProperty("definitionId").GetString() == "hello-liaison" && d.GetProperty("isPublished").GetBoolean());
    }
}
