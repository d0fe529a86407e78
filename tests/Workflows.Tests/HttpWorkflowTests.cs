using System.Net;
using System.Text;
using System.Text.Json.Nodes;

using Liaison.Workflows.Activities;
using Liaison.Workflows.Activities.Http;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.ElsaImport;
using Liaison.Workflows.Harness;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Validation;

namespace Liaison.Workflows.Tests;

/// <summary>
/// The HTTP activities: Elsa's HTTP samples answered with a request, SendHttpRequest's ports per status code,
/// timeouts and retries (through a message handler in the test: nothing leaves the machine), route matching.
/// </summary>
public sealed class HttpWorkflowTests
{
    private static string Corpus(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ElsaCorpus", file));

    /// <summary>Answers HttpEndpoint bookmarks with this request, as the Host does.</summary>
    private static Func<Bookmark, JsonNode?> Request(string method, JsonNode? body = null, JsonObject? query = null) => bookmark =>
        bookmark.Kind == BookmarkKind.HttpEndpoint
            ? new JsonObject { ["method"] = method, ["path"] = bookmark.EventName, ["routeData"] = new JsonObject(), ["query"] = query ?? [], ["headers"] = new JsonObject(), ["body"] = body }
            : null;

    [Fact]
    public void The_hello_world_sample_answers_its_get_with_the_json_it_writes()
    {
        var run = WorkflowHarness.Run(Corpus("http-hello-world.json"), new HarnessOptions { AnswerBookmark = Request("GET") });

        Assert.True(run.IsValid, string.Join("\n", run.Problems));
        Assert.Equal(WorkflowStatus.Finished, run.Status);
        var response = Assert.Single(run.HttpResponses);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal("Hello World!", JsonNode.Parse(response.Content!)!["message"]!.GetValue<string>());
    }

    [Fact]
    public void The_post_users_sample_captures_the_parsed_body_and_echoes_it_as_created()
    {
        var user = new JsonObject { ["name"] = "张三", ["email"] = "zhang@example.org" };
        var run = WorkflowHarness.Run(Corpus("http-post-users-api.json"), new HarnessOptions { AnswerBookmark = Request("POST", user) });

        Assert.Equal(WorkflowStatus.Finished, run.Status);
        var response = Assert.Single(run.HttpResponses);
        Assert.Equal(201, response.StatusCode);
        Assert.True(JsonNode.DeepEquals(user, JsonNode.Parse(response.Content!)), response.Content);
        Assert.True(JsonNode.DeepEquals(user, run.State!.Variables["NewUser"]));
    }

    [Fact]
    public void A_method_the_endpoint_does_not_accept_is_refused_and_the_instance_keeps_waiting()
    {
        var definition = ElsaImporter.Import(Corpus("http-post-users-api.json"));
        var runner = new WorkflowRunner();
        var waiting = runner.Start(definition).State;
        var bookmark = Assert.Single(waiting.Bookmarks);

        var refused = Assert.Throws<WorkflowResumeException>(() => runner.Resume(definition, waiting, bookmark.Id, Request("GET")(bookmark)));
        Assert.Contains("accepts POST, not GET", refused.Message, StringComparison.Ordinal);
        Assert.Single(waiting.Bookmarks);
    }

    [Fact]
    public void A_triggered_start_runs_from_the_trigger_not_from_the_other_starts()
    {
        var definition = new Flow()
            .Act("start", "Start").Line("other", "other start")
            .Act("hook", "HttpEndpoint", ("path", Flow.L("/hook"))).Line("after", "after hook")
            .Connect("start", "other").Connect("hook", "after").Build();
        definition.FindActivity("hook")!.Metadata["canStartWorkflow"] = true;
        var runner = new WorkflowRunner();

        var triggered = runner.Start(definition, startActivityId: "hook");
        var bookmark = Assert.Single(triggered.State.Bookmarks);
        Assert.Empty(triggered.Effects.Lines);
        var resumed = runner.Resume(definition, triggered.State, bookmark.Id, Request("GET")(bookmark));

        Assert.Equal(["after hook"], resumed.Effects.Lines);
        Assert.Equal(["other start"], runner.Start(definition).Effects.Lines);
    }

    [Fact]
    public void The_weather_sample_calls_the_api_and_renders_its_answer_on_the_200_port()
    {
        var api = new StubHandler(request =>
        {
            Assert.Equal("https://localhost:5001/weatherforecast", request.RequestUri!.ToString());
            return Json(HttpStatusCode.OK, """[{"Date":"2026-12-02","TemperatureC":3,"TemperatureF":37,"Summary":"Bracing"}]""");
        });
        var run = WorkflowHarness.Run(Corpus("http-weatherforecast.json"), new HarnessOptions { AnswerBookmark = Request("GET"), HttpClient = new HttpClient(api) });

        Assert.Equal(WorkflowStatus.Finished, run.Status);
        Assert.Equal(1, api.Calls);
        var response = Assert.Single(run.HttpResponses);
        Assert.Equal("text/html", response.ContentType);
        Assert.Contains("Bracing", response.Content, StringComparison.Ordinal);
        Assert.Contains("3/37", response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unexpected_status_leaves_through_unmatched_status_code_and_the_sample_writes_nothing()
    {
        var api = new StubHandler(_ => Json(HttpStatusCode.InternalServerError, """{"error":"down"}"""));
        var run = WorkflowHarness.Run(Corpus("http-weatherforecast.json"), new HarnessOptions { AnswerBookmark = Request("GET"), HttpClient = new HttpClient(api) });

        Assert.Equal(WorkflowStatus.Finished, run.Status);
        Assert.Empty(run.HttpResponses);
        Assert.Contains(run.Journal, j => j.ActivityId == "MtnCBYVLXk67JL0NQtL_9w" && j.Kind == JournalKind.Completed && j.Port == HttpActivities.UnmatchedStatusCode);
        Assert.Equal(1, api.Calls); // an answer is never retried
    }

    private static WorkflowDefinition Caller(string? expected, string? timeout = null, int retries = 2)
    {
        var flow = new Flow()
            .Act("call", "SendHttpRequest", [("url", Flow.L("http://api.example.test/items/7")), ("method", Flow.L("POST")), ("content", InputValue.Object(new JsonObject { ["n"] = 1 })),
                ("requestHeaders", InputValue.Object(new JsonObject { ["X-Trace"] = "t-1" })), ("retries", InputValue.Literal(retries)),
                .. expected is null ? Array.Empty<(string, InputValue)>() : [("expectedStatusCodes", InputValue.Object(JsonNode.Parse(expected)))],
                .. timeout is null ? Array.Empty<(string, InputValue)>() : [("timeout", Flow.L(timeout))]])
            .Act("reply", "WriteHttpResponse", ("statusCode", InputValue.Literal(200)), ("content", Flow.Js("getOutputFrom('call', 'ParsedContent')")));
        foreach (var port in SendHttpRequestActivity.Ports(SendHttpRequestActivity.ExpectedCodes(expected is null ? null : JsonNode.Parse(expected))))
        {
            flow.Line("at-" + port, port).Connect("call", "at-" + port, port);
        }

        return flow.Connect("at-200", "reply").Build();
    }

    private static VirtualRunResult RunCaller(WorkflowDefinition definition, HttpMessageHandler handler) =>
        WorkflowHarness.Run(definition, WorkflowFileFormat.Native, new HarnessOptions { HttpClient = new HttpClient(handler) }, ActivityRegistry.CreateDefault());

    [Theory]
    [InlineData(HttpStatusCode.OK, "200")]
    [InlineData(HttpStatusCode.NotFound, "404")]
    [InlineData(HttpStatusCode.Conflict, HttpActivities.UnmatchedStatusCode)]
    public void Each_expected_status_code_is_a_port_and_others_are_unmatched(HttpStatusCode status, string port)
    {
        var api = new StubHandler(request =>
        {
            Assert.Equal(HttpMethod.Post, request.Method);
            Assert.Equal("t-1", request.Headers.GetValues("X-Trace").Single());
            Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
            Assert.Equal("""{"n":1}""", request.Content.ReadAsStringAsync().GetAwaiter().GetResult());
            return Json(status, """{"id":7}""");
        });
        var definition = Caller("[200, 404]");
        Assert.Empty(new WorkflowValidator(ActivityRegistry.CreateDefault()).Validate(definition));

        var run = RunCaller(definition, api);

        Assert.Equal([port], run.Lines);
        Assert.Equal(WorkflowStatus.Finished, run.Status);
        if (port == "200")
        {
            Assert.Equal("""{"id":7}""", Assert.Single(run.HttpResponses).Content);
        }
    }

    [Fact]
    public void Without_expected_codes_every_answer_leaves_through_done()
    {
        var run = RunCaller(Caller(null), new StubHandler(_ => Json(HttpStatusCode.Accepted, "{}")));

        Assert.Equal(["Done"], run.Lines);
    }

    [Fact]
    public void A_timeout_is_retried_then_leaves_through_timeout()
    {
        var api = new StubHandler(async (_, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), ct);
            return Json(HttpStatusCode.OK, "{}");
        });

        var run = RunCaller(Caller("[200]", timeout: "00:00:00.200", retries: 2), api);

        Assert.Equal([HttpActivities.Timeout], run.Lines);
        Assert.Equal(3, api.Calls);
    }

    [Fact]
    public void A_refused_connection_is_retried_then_leaves_through_failed_to_connect_and_a_later_success_is_taken()
    {
        var refused = new StubHandler(_ => throw new HttpRequestException("Connection refused (api.example.test:80)"));
        var run = RunCaller(Caller("[200]", retries: 1), refused);
        Assert.Equal([HttpActivities.FailedToConnect], run.Lines);
        Assert.Equal(2, refused.Calls);

        var flaky = new StubHandler(_ => throw new HttpRequestException("Connection refused"), _ => Json(HttpStatusCode.OK, """{"ok":true}"""));
        var second = RunCaller(Caller("[200]", retries: 1), flaky);
        Assert.Equal(["200"], second.Lines);
        Assert.Equal(2, flaky.Calls);
    }

    [Fact]
    public async Task The_sender_reports_attempts_and_never_retries_beyond_five()
    {
        var api = new StubHandler(_ => throw new HttpRequestException("down"));
        var request = new JsonObject { ["url"] = "http://api.example.test/", ["method"] = "GET", ["timeoutMs"] = 1000, ["retries"] = 50 };

        var result = await HttpSender.SendAsync(new HttpClient(api), request, delay: (_, _) => Task.CompletedTask);

        Assert.Equal(HttpActivities.FailedToConnect, result["error"]!.GetValue<string>());
        Assert.Equal(6, api.Calls);
    }

    [Fact]
    public void Elsa_send_http_request_with_an_activity_per_status_code_runs_the_matching_one()
    {
        const string elsa = """
        {"definitionId":"send","name":"send","root":{"type":"Elsa.Sequence","activities":[
          {"id":"call","type":"Elsa.SendHttpRequest","url":{"typeName":"System.Uri","expression":{"type":"Literal","value":"http://api.example.test/x"}},
           "expectedStatusCodes":[
             {"statusCode":200,"activity":{"id":"ok","type":"Elsa.WriteLine","text":{"typeName":"String","expression":{"type":"Literal","value":"found"}}}},
             {"statusCode":404,"activity":{"id":"missing","type":"Elsa.WriteLine","text":{"typeName":"String","expression":{"type":"Literal","value":"missing"}}}}],
           "unmatchedStatusCode":{"id":"other","type":"Elsa.WriteLine","text":{"typeName":"String","expression":{"type":"Literal","value":"other"}}}},
          {"id":"after","type":"Elsa.WriteLine","text":{"typeName":"String","expression":{"type":"Literal","value":"after"}}}]}}
        """;
        foreach (var (status, line) in new[] { (HttpStatusCode.OK, "found"), (HttpStatusCode.NotFound, "missing"), (HttpStatusCode.BadGateway, "other") })
        {
            var run = WorkflowHarness.Run(elsa, new HarnessOptions { HttpClient = new HttpClient(new StubHandler(_ => Json(status, "{}"))) });
            Assert.True(run.IsValid, string.Join("\n", run.Problems));
            Assert.Equal([line, "after"], run.Lines);
        }
    }

    [Fact]
    public void Bad_literals_are_named_by_validation()
    {
        var definition = new Flow()
            .Act("in", "HttpEndpoint", ("path", Flow.L("/a/{*rest}/b")))
            .Act("out", "WriteHttpResponse", ("statusCode", Flow.L("Teapotish")))
            .Act("call", "SendHttpRequest", ("url", Flow.L("ftp://files.example.test/")), ("expectedStatusCodes", InputValue.Object(new JsonArray("200", "abc"))))
            .Connect("in", "out").Connect("out", "call").Build();

        var problems = new WorkflowValidator(ActivityRegistry.CreateDefault()).Validate(definition);

        Assert.Contains(problems, p => p.ActivityId == "in" && p.InputName == "path" && p.Message.Contains("catch-all", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.ActivityId == "out" && p.InputName == "statusCode");
        Assert.Contains(problems, p => p.ActivityId == "call" && p.InputName == "url");
        Assert.Contains(problems, p => p.ActivityId == "call" && p.InputName == "expectedStatusCodes" && p.Message.Contains("'abc'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/users/{id}", "/users/42", """{"id":"42"}""")]
    [InlineData("users/{id:int}", "/USERS/42/", """{"id":"42"}""")]
    [InlineData("/users/{id:int}", "/users/abc", null)]
    [InlineData("/files/{*path}", "/files/a/b%20c.txt", """{"path":"a/b c.txt"}""")]
    [InlineData("/orders/{id?}", "/orders", "{}")]
    [InlineData("/hello-world", "/hello-world/extra", null)]
    [InlineData("/hello-world", "/hello", null)]
    public void Routes_match_as_elsa_templates(string template, string path, string? expected)
    {
        var values = HttpRoute.Match(template, path);

        if (expected is null)
        {
            Assert.Null(values);
        }
        else
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), values), values?.ToJsonString());
        }
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>Stands in for the remote API: answers in the test process, counts calls; later answers follow the list.</summary>
    private sealed class StubHandler : HttpMessageHandler
    {
        private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>[] _answers;
        private int _calls;

        public StubHandler(params Func<HttpRequestMessage, HttpResponseMessage>[] answers) =>
            _answers = [.. answers.Select(a => (Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>)((r, _) => Task.FromResult(a(r))))];

        public StubHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) => _answers = [answer];

        public int Calls => _calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref _calls);
            return _answers[Math.Min(n, _answers.Length) - 1](request, cancellationToken);
        }
    }
}
