using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Testing;

namespace Liaison.Host.Tests;

/// <summary>
/// Elsa HTTP workflows on the real Host: imported Elsa files answer requests under /workflows with what their
/// WriteHttpResponse writes, call other addresses with SendHttpRequest, wait for a request as a blocking
/// endpoint, and check who may call them; bad requests get problem details and change nothing.
/// </summary>
public sealed class HttpWorkflowEndpointTests
{
    private static string CorpusFile(string name) => File.ReadAllText(Path.Combine(SourcePaths.Repository, "tests", "Workflows.Tests", "ElsaCorpus", name));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static readonly Dictionary<string, string?> Anonymous = new() { ["Liaison:Http:AllowAnonymous"] = "true" };

    private static async Task<string> ImportAndPublishAsync(HttpClient designer, string elsa)
    {
        var imported = await designer.PostAsync(new Uri("/api/workflows/definitions/import", UriKind.Relative), Json(elsa));
        var body = await imported.Content.ReadAsStringAsync();
        Assert.True(imported.StatusCode == HttpStatusCode.Created, body);
        var document = JsonNode.Parse(body)!;
        Assert.Empty(document["problems"]!.AsArray());
        var id = document["info"]!["definitionId"]!.GetValue<string>();
        var published = await designer.PostAsync(new Uri($"/api/workflows/definitions/{id}/publish", UriKind.Relative), null);
        Assert.True(published.StatusCode == HttpStatusCode.OK, await published.Content.ReadAsStringAsync());
        return id;
    }

    private static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!;
    }

    private static async Task<int> InstanceCountAsync(HttpClient office, string definitionId)
    {
        var list = JsonNode.Parse(await office.GetStringAsync(new Uri($"/api/workflows/instances?definitionId={definitionId}", UriKind.Relative)))!;
        return list["items"]?.AsArray().Count ?? list.AsArray().Count;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Imported_elsa_samples_answer_their_routes_and_bad_requests_get_problems(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "httpwf");
        await using var app = await LiaisonWebApp.StartAsync(database, Anonymous);
        var designer = await app.ClientForAsync(Roles.Designer);
        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        await ImportAndPublishAsync(designer, CorpusFile("http-hello-world.json"));
        var users = await ImportAndPublishAsync(designer, CorpusFile("http-post-users-api.json"));
        var anonymous = app.NewClient();

        var hello = await anonymous.GetAsync(new Uri("/workflows/hello-world", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
        Assert.Equal("application/json", hello.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Hello World!", JsonNode.Parse(await hello.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());

        var created = await anonymous.PostAsync(new Uri("/workflows/users", UriKind.Relative), Json("""{"name":"李四","email":"li@example.org"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("李四", JsonNode.Parse(await created.Content.ReadAsStringAsync())!["name"]!.GetValue<string>());
        Assert.Equal(1, await InstanceCountAsync(office, users));

        // Bad requests: problem details, no instance started.
        var malformed = await ProblemAsync(await anonymous.PostAsync(new Uri("/workflows/users", UriKind.Relative), Json("""{"name": """)), HttpStatusCode.BadRequest);
        Assert.NotNull(malformed["errors"]!["body"]);
        var notUtf8 = new ByteArrayContent([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
        notUtf8.Headers.ContentType = new("application/json");
        await ProblemAsync(await anonymous.PostAsync(new Uri("/workflows/users", UriKind.Relative), notUtf8), HttpStatusCode.BadRequest);
        var wrongMethod = await anonymous.GetAsync(new Uri("/workflows/users", UriKind.Relative));
        await ProblemAsync(wrongMethod, HttpStatusCode.MethodNotAllowed);
        Assert.Contains("POST", wrongMethod.Content.Headers.Allow.Concat(wrongMethod.Headers.Select(h => string.Join(",", h.Value))), StringComparer.Ordinal);
        await ProblemAsync(await anonymous.GetAsync(new Uri("/workflows/nowhere/at/all", UriKind.Relative)), HttpStatusCode.NotFound);
        var tooLarge = await anonymous.PostAsync(new Uri("/workflows/users", UriKind.Relative), Json("\"" + new string('x', 1_100_000) + "\""));
        await ProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(1, await InstanceCountAsync(office, users));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_weather_sample_calls_another_address_and_renders_what_it_got(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "httpsend");
        await using var app = await LiaisonWebApp.StartAsync(database, Anonymous);
        var designer = await app.ClientForAsync(Roles.Designer);

        // The "remote" forecast API is another HTTP workflow on this Host: the call goes out over the loopback, offline.
        var api = CorpusFile("http-hello-world.json")
            .Replace("3f62b4c8de654ce6adc846cacda9a556", "forecast-api", StringComparison.Ordinal)
            .Replace("/hello-world", "/forecast-api", StringComparison.Ordinal)
            .Replace("""{\n    \"message\": \"Hello World!\"\n}""", """[{\"Date\":\"2026-12-02\",\"TemperatureC\":3,\"TemperatureF\":37,\"Summary\":\"Bracing\"}]""", StringComparison.Ordinal);
        Assert.Contains("forecast-api", api, StringComparison.Ordinal);
        Assert.Contains("Bracing", api, StringComparison.Ordinal);
        await ImportAndPublishAsync(designer, api);
        var weather = CorpusFile("http-weatherforecast.json").Replace("https://localhost:5001/weatherforecast", new Uri(app.Address, "/workflows/forecast-api").ToString(), StringComparison.Ordinal);
        await ImportAndPublishAsync(designer, weather);

        var page = await app.NewClient().GetAsync(new Uri("/workflows/weatherforecast-from-designer", UriKind.Relative));

        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bracing", html, StringComparison.Ordinal);
        Assert.Contains("3/37", html, StringComparison.Ordinal);
    }

    private const string Approval = """
    {"definitionId":"http-approval","name":"HTTP approval","root":{"type":"Elsa.Flowchart","activities":[
      {"id":"start","type":"Elsa.Start"},
      {"id":"wait","type":"Elsa.HttpEndpoint","customProperties":{"canStartWorkflow":false},
       "path":{"typeName":"String","expression":{"type":"Literal","value":"/approvals/{id:int}"}},
       "supportedMethods":{"typeName":"String[]","expression":{"type":"Object","value":"[\"POST\"]"}},
       "authorize":{"typeName":"Boolean","expression":{"type":"Literal","value":"True"}},
       "policy":{"typeName":"String","expression":{"type":"Literal","value":"LiaisonOffice"}}},
      {"id":"reply","type":"Elsa.WriteHttpResponse",
       "statusCode":{"typeName":"System.Net.HttpStatusCode","expression":{"type":"Literal","value":"Accepted"}},
       "content":{"typeName":"Object","expression":{"type":"JavaScript","value":"({ id: getOutputFrom('wait', 'RouteData').id, decision: getOutputFrom('wait', 'ParsedContent').decision, by: getOutputFrom('wait').user })"}},
       "contentType":{"typeName":"String","expression":{"type":"Literal","value":"application/json"}},
       "responseHeaders":{"typeName":"Object","expression":{"type":"Literal","value":"{\"X-Approval\":[\"recorded\"]}"}}}],
     "connections":[{"source":{"activity":"start","port":"Done"},"target":{"activity":"wait","port":"In"}},
                    {"source":{"activity":"wait","port":"Done"},"target":{"activity":"reply","port":"In"}}]}}
    """;

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_waiting_endpoint_is_resumed_by_its_request_once_the_caller_passes_its_policy(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "httpwait");
        await using var app = await LiaisonWebApp.StartAsync(database, Anonymous);
        var designer = await app.ClientForAsync(Roles.Designer);
        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var handler = await app.ClientForAsync(Roles.UnitHandler, unitId: "u1");
        var id = await ImportAndPublishAsync(designer, Approval);

        var started = await office.PostAsJsonAsync("/api/workflows/instances", new { definitionId = id, correlationKey = "A-7" });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var instanceId = JsonNode.Parse(await started.Content.ReadAsStringAsync())!["instance"]!["id"]!.GetValue<string>();

        // The endpoint asks for authorization and a policy: anonymous is 401 even where anonymous calls are allowed, another role 403.
        var body = """{"decision":"approve"}""";
        await ProblemAsync(await app.NewClient().PostAsync(new Uri("/workflows/approvals/7", UriKind.Relative), Json(body)), HttpStatusCode.Unauthorized);
        await ProblemAsync(await handler.PostAsync(new Uri("/workflows/approvals/7", UriKind.Relative), Json(body)), HttpStatusCode.Forbidden);
        await ProblemAsync(await office.PostAsync(new Uri("/workflows/approvals/seven", UriKind.Relative), Json(body)), HttpStatusCode.NotFound);
        await ProblemAsync(await office.PostAsync(new Uri("/workflows/approvals/7?correlationId=other", UriKind.Relative), Json(body)), HttpStatusCode.NotFound);

        var answered = await office.PostAsync(new Uri("/workflows/approvals/7?correlationId=A-7", UriKind.Relative), Json(body));
        var text = await answered.Content.ReadAsStringAsync();
        Assert.True(answered.StatusCode == HttpStatusCode.Accepted, text);
        Assert.Equal("recorded", answered.Headers.GetValues("X-Approval").Single());
        var reply = JsonNode.Parse(text)!;
        Assert.Equal("7", reply["id"]!.GetValue<string>());
        Assert.Equal("approve", reply["decision"]!.GetValue<string>());
        Assert.EndsWith("-liaisonoffice", reply["by"]!.GetValue<string>(), StringComparison.Ordinal);

        var instance = JsonNode.Parse(await office.GetStringAsync(new Uri($"/api/workflows/instances/{instanceId}", UriKind.Relative)))!;
        Assert.Equal("Finished", (instance["instance"] ?? instance)["status"]!.GetValue<string>());
        await ProblemAsync(await office.PostAsync(new Uri("/workflows/approvals/7", UriKind.Relative), Json(body)), HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Without_the_anonymous_setting_every_call_needs_a_signed_in_user(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "httpauth");
        await using var app = await LiaisonWebApp.StartAsync(database);
        var designer = await app.ClientForAsync(Roles.Designer);
        var deputy = await app.ClientForAsync(Roles.Deputy);
        await ImportAndPublishAsync(designer, CorpusFile("http-hello-world.json"));

        var refused = await app.NewClient().GetAsync(new Uri("/workflows/hello-world", UriKind.Relative));
        await ProblemAsync(refused, HttpStatusCode.Unauthorized);
        Assert.Contains("AllowAnonymous", (await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        var signedIn = await deputy.GetAsync(new Uri("/workflows/hello-world", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Contains("Hello World!", await signedIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_request_of_an_instance_started_by_the_api_is_sent_by_the_worker_and_resumes_it(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "httpworker");
        await using var app = await LiaisonWebApp.StartAsync(database, new Dictionary<string, string?>(Anonymous) { ["Liaison:Http:OutgoingPollInterval"] = "00:00:00.500" });
        var designer = await app.ClientForAsync(Roles.Designer);
        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        await ImportAndPublishAsync(designer, CorpusFile("http-hello-world.json"));
        var flow = Flowcharts.Build(
            "http-caller",
            [
                Flowcharts.Activity("start", "Start"),
                Flowcharts.Activity("call", "SendHttpRequest", new JsonObject
                {
                    ["url"] = Flowcharts.Literal(new Uri(app.Address, "/workflows/hello-world").ToString()),
                    ["expectedStatusCodes"] = Flowcharts.Literal(new JsonArray("200")),
                }),
                Flowcharts.Activity("said", "WriteLine", new JsonObject { ["text"] = Flowcharts.Script("getOutputFrom('call', 'ParsedContent').message") }),
            ],
            [("start", "Done", "call"), ("call", "200", "said")]);
        Assert.Equal(HttpStatusCode.OK, (await designer.PutAsync(new Uri("/api/workflows/definitions/http-caller/draft", UriKind.Relative), Json(flow))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await designer.PostAsync(new Uri("/api/workflows/definitions/http-caller/publish", UriKind.Relative), null)).StatusCode);

        var started = JsonNode.Parse(await (await office.PostAsJsonAsync("/api/workflows/instances", new { definitionId = "http-caller" })).Content.ReadAsStringAsync())!;
        var instanceId = started["instance"]!["id"]!.GetValue<string>();
        Assert.Equal("Suspended", started["instance"]!["status"]!.GetValue<string>());
        Assert.Equal("HttpSend", started["bookmarks"]![0]!["kind"]!.GetValue<string>());

        var deadline = DateTime.UtcNow.AddSeconds(60);
        string status;
        do
        {
            await Task.Delay(250);
            var instance = JsonNode.Parse(await office.GetStringAsync(new Uri($"/api/workflows/instances/{instanceId}", UriKind.Relative)))!;
            status = (instance["instance"] ?? instance)["status"]!.GetValue<string>();
        }
        while (status != "Finished" && DateTime.UtcNow < deadline);

        Assert.Equal("Finished", status);
        var journal = await office.GetStringAsync(new Uri($"/api/workflows/instances/{instanceId}/journal", UriKind.Relative));
        Assert.Contains("Hello World!", journal, StringComparison.Ordinal);
    }
}
