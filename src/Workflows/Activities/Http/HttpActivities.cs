using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

using Liaison.Workflows.Activities.BuiltIn;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.Expressions;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Validation;

namespace Liaison.Workflows.Activities.Http;

public static class HttpActivities
{
    public const string Endpoint = "HttpEndpoint";
    public const string WriteResponse = "WriteHttpResponse";
    public const string SendRequest = "SendHttpRequest";

    public const string UnmatchedStatusCode = "Unmatched status code";
    public const string FailedToConnect = "Failed to connect";
    public const string Timeout = "Timeout";

    public static void RegisterAll(ActivityRegistry registry) => registry
        .Register(new HttpEndpointActivity())
        .Register(new WriteHttpResponseActivity())
        .Register(new SendHttpRequestActivity());

    /// <summary>An object input that may arrive as JSON text (Elsa writes headers as the literal "{}").</summary>
    internal static JsonObject? AsObject(JsonNode? node) => node switch
    {
        JsonObject o => o,
        JsonValue v when v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) => ValueConversion.TryParseJson(s) as JsonObject,
        _ => null,
    };

    /// <summary>Header name → one value; Elsa's header dictionaries hold arrays of values.</summary>
    internal static Dictionary<string, string> Headers(JsonNode? node)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in AsObject(node) ?? [])
        {
            if (string.IsNullOrWhiteSpace(name) || value is null)
            {
                continue;
            }

            headers[name] = value is JsonArray values ? string.Join(",", values.Select(ValueConversion.AsString)) : ValueConversion.AsString(value) ?? "";
        }

        return headers;
    }

    /// <summary>Content as sent on the wire: text as is, anything else as JSON.</summary>
    internal static string? ContentText(JsonNode? content) => content switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => ValueConversion.AsString(v),
        _ => content.ToJsonString(),
    };

    internal static string DefaultContentType(JsonNode? content) => content is JsonObject or JsonArray ? "application/json" : "text/plain";

    /// <summary>A status code written as a number ("200", 404) or by name ("OK", "Created"), as Elsa's HttpStatusCode input takes it.</summary>
    internal static int? StatusCode(JsonNode? node)
    {
        if (ValueConversion.AsDouble(node) is { } number)
        {
            return number is >= 100 and <= 599 && number == Math.Floor(number) ? (int)number : null;
        }

        var text = ValueConversion.AsString(node)?.Trim();
        return text is { Length: > 0 } && Enum.TryParse<HttpStatusCode>(text, ignoreCase: true, out var code) && (int)code is >= 100 and <= 599
            ? (int)code
            : null;
    }
}

/// <summary>
/// Elsa's HttpEndpoint: waits for an inbound request on a route under the Host's HTTP base path (/workflows by
/// default). With the node's <c>canStartWorkflow</c> metadata it is also a trigger: a request on its route starts
/// the published workflow. The request's method, route values, query, headers and parsed body become its outputs.
/// </summary>
public sealed class HttpEndpointActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = HttpActivities.Endpoint,
        Category = "HTTP",
        DisplayName = "HTTP endpoint",
        IsTrigger = true,
        Description = "Waits for an HTTP request on a route under /workflows (e.g. /orders/{id}); starts the workflow when it can start workflows.",
        Inputs =
        [
            new InputDescriptor("path", InputTypes.String, Required: true, Description: "Route template, e.g. /users/{id}."),
            new InputDescriptor("supportedMethods", InputTypes.StringList, Default: new JsonArray("GET"), Description: "Any of GET, POST, PUT, PATCH, DELETE, HEAD."),
            new InputDescriptor("authorize", InputTypes.Boolean, Default: JsonValue.Create(false), Description: "Only signed-in users; when false, anonymous requests are accepted only if the Host's Liaison:Http:AllowAnonymous is true."),
            new InputDescriptor("policy", InputTypes.String, Description: "An authorization policy the user must satisfy (e.g. LiaisonOffice)."),
        ],
        Outputs =
        [
            new OutputDescriptor("ParsedContent", InputTypes.Object, "The parsed request body: JSON, form fields or text."),
            new OutputDescriptor("RouteData", InputTypes.Object, "Route values by parameter name."),
            new OutputDescriptor("QueryStringData", InputTypes.Object, "Query string values (first value of each)."),
            new OutputDescriptor("Headers", InputTypes.Object, "Request headers (first value of each)."),
            new OutputDescriptor("Result", InputTypes.Object, "The request: method, path, query string, route values, headers and body."),
        ],
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var path = context.GetString("path");
        if (HttpRoute.Check(path) is { } error)
        {
            throw new ExpressionException($"input 'path': {error}");
        }

        var methods = Methods(context.Evaluate("supportedMethods"));
        var payload = new JsonObject
        {
            ["methods"] = new JsonArray([.. methods.Select(m => (JsonNode?)JsonValue.Create(m))]),
            ["authorize"] = context.GetBoolean("authorize"),
            ["policy"] = context.GetString("policy") is { Length: > 0 } policy ? policy : null,
        };
        context.CreateBookmark(BookmarkKind.HttpEndpoint, HttpRoute.Normalize(path), payload: payload);
        return ActivityOutcome.Suspend();
    }

    /// <summary>The payload is the request as the Host read it: {method, path, routeData, query, headers, body}.</summary>
    public override ActivityOutcome Resume(ActivityContext context, Bookmark bookmark, JsonNode? payload)
    {
        if (payload is not JsonObject request)
        {
            throw new WorkflowResumeException("an HTTP endpoint is resumed with the request it received ({method, path, query, headers, body})");
        }

        var method = ValueConversion.AsString(request["method"])?.ToUpperInvariant() ?? "GET";
        var methods = ValueConversion.AsStringList(bookmark.Payload?["methods"]);
        if (methods.Count > 0 && !methods.Contains(method, StringComparer.OrdinalIgnoreCase))
        {
            throw new WorkflowResumeException($"this endpoint accepts {string.Join(", ", methods)}, not {method}");
        }

        context.SetOutput("ParsedContent", request["body"]);
        context.SetOutput("RouteData", request["routeData"] as JsonObject ?? []);
        context.SetOutput("QueryStringData", request["query"] as JsonObject ?? []);
        context.SetOutput("Headers", request["headers"] as JsonObject ?? []);
        return ActivityOutcome.Done(request.DeepClone());
    }

    public override IEnumerable<ValidationProblem> Validate(ActivityNode node)
    {
        if (node.GetInput("path") is { Kind: InputKind.Literal } path && HttpRoute.Check(path.Text) is { } error)
        {
            yield return new ValidationProblem(node.Id, "path", ValidationCodes.InvalidInput, error);
        }
    }

    internal static IReadOnlyList<string> Methods(JsonNode? value)
    {
        var list = ValueConversion.AsStringList(value).Select(m => m.Trim().ToUpperInvariant()).Where(m => m.Length > 0).Distinct().ToList();
        return list.Count == 0 ? ["GET"] : list;
    }

    /// <summary>Whether the node starts workflows (Elsa's canStartWorkflow), not only waits inside one.</summary>
    public static bool CanStartWorkflow(ActivityNode node) =>
        node.Metadata.TryGetValue("canStartWorkflow", out var flag) && ValueConversion.AsBoolean(flag);
}

/// <summary>Elsa's WriteHttpResponse: answers the request that started or resumed the workflow in this burst.</summary>
public sealed class WriteHttpResponseActivity : Activity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = HttpActivities.WriteResponse,
        Category = "HTTP",
        DisplayName = "HTTP response",
        Description = "Writes the response to the HTTP request the workflow is handling: text as is, objects as JSON.",
        Inputs =
        [
            new InputDescriptor("statusCode", InputTypes.String, Default: JsonValue.Create(200), Description: "A number (201) or a name (Created)."),
            new InputDescriptor("content", InputTypes.Object),
            new InputDescriptor("contentType", InputTypes.String, Description: "Defaults to text/plain for text and application/json for objects."),
            new InputDescriptor("responseHeaders", InputTypes.Object, Description: "{\"X-Name\": \"value\"}"),
        ],
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var statusInput = context.Evaluate("statusCode");
        var status = statusInput is null ? 200 : HttpActivities.StatusCode(statusInput)
            ?? throw new ExpressionException($"input 'statusCode': '{ValueConversion.AsString(statusInput)}' is not an HTTP status code");
        var content = context.Evaluate("content");
        var contentType = context.GetString("contentType") is { Length: > 0 } given ? given : content is null ? null : HttpActivities.DefaultContentType(content);
        context.Effects.HttpResponses.Add(new HttpResponseRequest(context.Node.Id, status, HttpActivities.ContentText(content), contentType, HttpActivities.Headers(context.Evaluate("responseHeaders"))));
        return ActivityOutcome.Done();
    }

    public override IEnumerable<ValidationProblem> Validate(ActivityNode node)
    {
        if (node.GetInput("statusCode") is { Kind: InputKind.Literal, Value: { } value } && HttpActivities.StatusCode(value) is null)
        {
            yield return new ValidationProblem(node.Id, "statusCode", ValidationCodes.InvalidInput, $"'{ValueConversion.AsString(value)}' is not an HTTP status code (a number from 100 to 599 or a name such as OK or Created)");
        }
    }
}

/// <summary>
/// Elsa's FlowSendHttpRequest (and SendHttpRequest): sends a request and goes on through the port of the status
/// code when it is one of the expected codes, else "Unmatched status code"; "Failed to connect" and "Timeout" when
/// no answer came (after the retries). Without expected codes every answer leaves through "Done". The request is
/// sent after the burst is saved (outside the database transaction), by the Host or the harness, which resume
/// the activity's bookmark with the response.
/// </summary>
public sealed class SendHttpRequestActivity : Activity
{
    public const int MaxRetries = 5;
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);

    public override ActivityDescriptor Descriptor { get; } = new()
    {
        TypeName = HttpActivities.SendRequest,
        Category = "HTTP",
        DisplayName = "HTTP request",
        Description = "Sends an HTTP request; each expected status code is a port, with Unmatched status code, Failed to connect and Timeout.",
        Inputs =
        [
            new InputDescriptor("url", InputTypes.String, Required: true, Description: "An absolute http or https address."),
            new InputDescriptor("method", InputTypes.String, Default: JsonValue.Create("GET"), Options: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]),
            new InputDescriptor("content", InputTypes.Object),
            new InputDescriptor("contentType", InputTypes.String),
            new InputDescriptor("authorization", InputTypes.String, Description: "The Authorization header, e.g. Bearer <token>."),
            new InputDescriptor("requestHeaders", InputTypes.Object),
            new InputDescriptor("expectedStatusCodes", InputTypes.StringList, Description: "Status codes with a port each, e.g. [200, 404]."),
            new InputDescriptor("timeout", InputTypes.Duration, Default: JsonValue.Create("00:00:30"), Description: "Per attempt; at most 5 minutes."),
            new InputDescriptor("retries", InputTypes.Int32, Default: JsonValue.Create(2), Description: "Further attempts after a failed connection or a timeout (at most 5)."),
        ],
        Outputs =
        [
            new OutputDescriptor("StatusCode", InputTypes.Int32),
            new OutputDescriptor("ParsedContent", InputTypes.Object, "The response body: JSON parsed, anything else as text."),
            new OutputDescriptor("ResponseHeaders", InputTypes.Object),
            new OutputDescriptor("Result", InputTypes.Object, "{statusCode, headers, content}"),
        ],
        DynamicPorts = node => Ports(ExpectedCodes(StaticInputs.Value(node, "expectedStatusCodes"))),
    };

    public override ActivityOutcome Execute(ActivityContext context)
    {
        var url = context.GetString("url");
        if (CheckUrl(url) is { } error)
        {
            throw new ExpressionException($"input 'url': {error}");
        }

        var timeout = context.GetDuration("timeout") is { } duration ? duration.AddTo(context.Now, context.Calendar) - context.Now : TimeSpan.FromSeconds(30);
        if (timeout <= TimeSpan.Zero || timeout > MaxTimeout)
        {
            throw new ExpressionException($"input 'timeout': {timeout} is not between 0 and {MaxTimeout}");
        }

        var content = context.Evaluate("content");
        var request = new JsonObject
        {
            ["url"] = url,
            ["method"] = (context.GetString("method") is { Length: > 0 } m ? m : "GET").Trim().ToUpperInvariant(),
            ["content"] = HttpActivities.ContentText(content),
            ["contentType"] = context.GetString("contentType") is { Length: > 0 } type ? type : content is null ? null : HttpActivities.DefaultContentType(content),
            ["authorization"] = context.GetString("authorization") is { Length: > 0 } auth ? auth : null,
            ["headers"] = new JsonObject([.. HttpActivities.Headers(context.Evaluate("requestHeaders")).Select(h => KeyValuePair.Create(h.Key, (JsonNode?)JsonValue.Create(h.Value)))]),
            ["timeoutMs"] = (long)timeout.TotalMilliseconds,
            ["retries"] = Math.Clamp(context.GetInt32("retries") ?? 2, 0, MaxRetries),
        };
        context.CreateBookmark(BookmarkKind.HttpSend, eventName: url!.Length <= 200 ? url : url[..200], payload: request);
        return ActivityOutcome.Suspend();
    }

    /// <summary>The payload is what <see cref="HttpSender"/> got: {statusCode, headers, content, contentType} or {error, message}.</summary>
    public override ActivityOutcome Resume(ActivityContext context, Bookmark bookmark, JsonNode? payload)
    {
        if (payload is not JsonObject response)
        {
            throw new WorkflowResumeException("an HTTP request is resumed with its response ({statusCode, headers, content}) or its failure ({error})");
        }

        if (ValueConversion.AsString(response["error"]) is { } failure)
        {
            var port = failure == HttpActivities.Timeout ? HttpActivities.Timeout : HttpActivities.FailedToConnect;
            context.SetOutput("Error", response["message"]);
            return ActivityOutcome.Complete(port, response.DeepClone());
        }

        var status = HttpActivities.StatusCode(response["statusCode"])
            ?? throw new WorkflowResumeException("the response has no statusCode between 100 and 599");
        var parsed = Parse(ValueConversion.AsString(response["content"]), ValueConversion.AsString(response["contentType"]));
        context.SetOutput("StatusCode", status);
        context.SetOutput("ParsedContent", parsed);
        context.SetOutput("ResponseHeaders", response["headers"] as JsonObject ?? []);
        var expected = ExpectedCodes(context.Evaluate("expectedStatusCodes"));
        var outcome = expected.Count == 0 ? "Done"
            : expected.Contains(status.ToString(CultureInfo.InvariantCulture)) ? status.ToString(CultureInfo.InvariantCulture)
            : HttpActivities.UnmatchedStatusCode;
        return ActivityOutcome.Complete(outcome, new JsonObject { ["statusCode"] = status, ["headers"] = response["headers"]?.DeepClone(), ["content"] = parsed?.DeepClone() });
    }

    public override IEnumerable<ValidationProblem> Validate(ActivityNode node)
    {
        if (node.GetInput("url") is { Kind: InputKind.Literal } url && CheckUrl(url.Text) is { } error)
        {
            yield return new ValidationProblem(node.Id, "url", ValidationCodes.InvalidInput, error);
        }

        foreach (var code in ValueConversion.AsStringList(StaticInputs.Value(node, "expectedStatusCodes")))
        {
            if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 100 or > 599)
            {
                yield return new ValidationProblem(node.Id, "expectedStatusCodes", ValidationCodes.InvalidInput, $"'{code}' is not an HTTP status code (100 to 599)");
            }
        }

        if (StaticInputs.Value(node, "retries") is { } retries && ValueConversion.AsDouble(retries) is { } r && (r < 0 || r > MaxRetries))
        {
            yield return new ValidationProblem(node.Id, "retries", ValidationCodes.InvalidInput, $"retries must be between 0 and {MaxRetries}");
        }
    }

    public static IReadOnlyList<string> ExpectedCodes(JsonNode? value) =>
        ValueConversion.AsStringList(value).Select(c => c.Trim()).Where(c => c.Length > 0).Distinct().ToList();

    public static IReadOnlyList<string> Ports(IReadOnlyList<string> expected) =>
        expected.Count == 0
            ? ["Done", HttpActivities.FailedToConnect, HttpActivities.Timeout]
            : [.. expected, HttpActivities.UnmatchedStatusCode, HttpActivities.FailedToConnect, HttpActivities.Timeout];

    internal static string? CheckUrl(string? url) =>
        string.IsNullOrWhiteSpace(url) ? "the address is empty"
        : !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) ? $"'{url}' is not an absolute http or https address"
        : null;

    /// <summary>JSON bodies parsed (as Elsa does for application/json), anything else as text.</summary>
    internal static JsonNode? Parse(string? content, string? contentType)
    {
        if (string.IsNullOrEmpty(content))
        {
            return null;
        }

        var json = contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;
        return json ? ValueConversion.TryParseJson(content) : JsonValue.Create(content);
    }
}
