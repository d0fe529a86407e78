using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Microsoft.AspNetCore.Authorization;
using HttpWorkflowService = Liaison.Workflows.Durable.HttpWorkflows;

namespace Liaison.Host.HttpWorkflows;

/// <summary>Settings of HTTP workflows, bound from "Liaison:Http".</summary>
public sealed class HttpWorkflowOptions
{
    public const string Section = "Liaison:Http";

    /// <summary>Routes of HttpEndpoint activities live under this path.</summary>
    public string BasePath { get; set; } = "/workflows";

    /// <summary>Whether an endpoint that does not ask for authorization accepts anonymous requests; otherwise every request needs a signed-in user.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Largest request body read (bytes); larger ones are refused with 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How often requests of SendHttpRequest activities that no inbound request is waiting for are sent.</summary>
    public TimeSpan OutgoingPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    public static HttpWorkflowOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        HttpWorkflowOptions options;
        try
        {
            options = section.Get<HttpWorkflowOptions>() ?? new HttpWorkflowOptions();
        }
        catch (InvalidOperationException ex)
        {
            throw new StartupConfigurationException(Section, ex.InnerException?.Message ?? ex.Message, ex);
        }

        var basePath = "/" + (options.BasePath ?? "").Trim().Trim('/');
        string[] taken = ["/", "/api", "/account", "/health", "/hangfire", "/scalar", "/openapi", "/_blazor", "/_framework", "/_content", "/error"];
        if (taken.Any(t => string.Equals(basePath, t, StringComparison.OrdinalIgnoreCase)) || basePath.Contains('{', StringComparison.Ordinal) || basePath.Contains('?', StringComparison.Ordinal))
        {
            throw new StartupConfigurationException($"{Section}:BasePath", $"'{options.BasePath}' cannot hold workflow routes; use a path of its own such as /workflows");
        }

        if (options.MaxRequestBodyBytes <= 0 || options.OutgoingPollInterval <= TimeSpan.Zero)
        {
            throw new StartupConfigurationException(Section, "MaxRequestBodyBytes and OutgoingPollInterval must be positive");
        }

        options.BasePath = basePath;
        return options;
    }
}

/// <summary>
/// The Host side of Elsa's HttpWorkflowsMiddleware: a request under the base path (/workflows by default) starts
/// the published workflow whose HttpEndpoint trigger has that route, or resumes the instance waiting on it, and is
/// answered with what WriteHttpResponse wrote in that run (after the SendHttpRequest calls it made). Anonymous
/// requests pass only when the endpoint does not ask for authorization and Liaison:Http:AllowAnonymous is true;
/// otherwise a signed-in user is needed, and the endpoint's policy when it names one. Bad requests get problem
/// details (404 no route, 405 wrong method, 409 several matches, 400 unreadable body, 413 too large).
/// </summary>
public static class HttpWorkflowEndpoints
{
    // Credentials are never copied into an instance's state.
    private static readonly HashSet<string> HiddenHeaders = new(StringComparer.OrdinalIgnoreCase) { "Authorization", "Cookie", "Proxy-Authorization" };

    // Headers a workflow may not set: framing, and cookies of this site.
    private static readonly HashSet<string> ReservedResponseHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "Set-Cookie", "Content-Type", "Trailer",
    };

    public static IServiceCollection AddHttpWorkflows(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(HttpWorkflowOptions.From(configuration));
        services.AddHostedService<OutgoingHttpWorker>();
        return services;
    }

    public static void MapHttpWorkflows(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<HttpWorkflowOptions>();
        string[] methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
        app.MapMethods(options.BasePath + "/{**route}", methods, HandleAsync)
            .AllowAnonymous() // each endpoint's own authorization is checked below, as Elsa's middleware does
            .DisableAntiforgery()
            .ExcludeFromDescription();
    }

    private static async Task<IResult> HandleAsync(HttpContext http, string? route, HttpWorkflowService workflows, HttpWorkflowOptions options, IAuthorizationService authorization, IAuthorizationPolicyProvider policies)
    {
        var ct = http.RequestAborted;
        var path = "/" + (route ?? "").Trim('/');
        var method = http.Request.Method.ToUpperInvariant();
        var shown = options.BasePath + (path == "/" ? "" : path);
        var matches = await workflows.FindAsync(path, ct);
        if (matches.Count == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No workflow handles this address", detail: $"no published workflow or waiting instance has an HTTP endpoint for {shown}");
        }

        var accepting = matches.Where(m => m.Methods.Contains(method, StringComparer.OrdinalIgnoreCase)).ToList();
        if (accepting.Count == 0)
        {
            http.Response.Headers.Allow = string.Join(", ", matches.SelectMany(m => m.Methods).Distinct(StringComparer.OrdinalIgnoreCase));
            return Results.Problem(statusCode: StatusCodes.Status405MethodNotAllowed, title: "Method not allowed", detail: $"{shown} accepts {http.Response.Headers.Allow}, not {method}");
        }

        // Elsa's selectors: a correlation id (query or header) and an instance id narrow the waiting instances.
        var correlationKey = NonEmpty(http.Request.Query["correlationId"].FirstOrDefault()) ?? NonEmpty(http.Request.Headers["X-Correlation-Id"].FirstOrDefault());
        var instanceFilter = http.Request.Query["workflowInstanceId"].FirstOrDefault();
        var triggers = accepting.Where(m => m.IsTrigger).ToList();
        var waiting = accepting.Where(m => !m.IsTrigger
            && (correlationKey is null || m.CorrelationKey == correlationKey)
            && (instanceFilter is null || string.Equals(m.InstanceId?.ToString("N"), instanceFilter.Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))).ToList();
        var candidates = triggers.Count > 0 && instanceFilter is null ? triggers : waiting;
        if (candidates.Count == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No workflow handles this address", detail: $"no waiting instance matches {shown} with that correlation id or instance id");
        }

        if (candidates.Count > 1)
        {
            var problem = TypedProblem(StatusCodes.Status409Conflict, "The call is ambiguous", $"{method} {shown} matches {candidates.Count} workflows; give ?workflowInstanceId= or a correlation id, or change one of the routes");
            problem.Extensions["workflows"] = candidates.Select(c => new { definitionId = c.DefinitionId, activityId = c.ActivityId, instanceId = c.InstanceId }).ToList();
            return Results.Problem(problem);
        }

        var chosen = candidates[0];
        if (await AuthorizeAsync(http, chosen, options, authorization, policies) is { } refused)
        {
            return refused;
        }

        var (request, bad) = await ReadRequestAsync(http, path, method, chosen, options);
        if (bad is not null)
        {
            return bad;
        }

        var run = chosen.IsTrigger
            ? await workflows.StartAsync(chosen, request!, correlationKey, ct)
            : await workflows.ResumeAsync(chosen, request!, ct);
        return Answer(run);
    }

    private static async Task<IResult?> AuthorizeAsync(HttpContext http, HttpEndpointMatch endpoint, HttpWorkflowOptions options, IAuthorizationService authorization, IAuthorizationPolicyProvider policies)
    {
        if (options.AllowAnonymous && !endpoint.Authorize && endpoint.Policy is null)
        {
            return null;
        }

        var user = http.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            var why = options.AllowAnonymous ? "this endpoint asks for a signed-in user" : "anonymous requests to workflows are not allowed here (Liaison:Http:AllowAnonymous)";
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in required", detail: why);
        }

        if (endpoint.Policy is { } policyName)
        {
            var policy = await policies.GetPolicyAsync(policyName);
            if (policy is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: $"the endpoint's policy '{policyName}' is not defined in Liaison");
            }

            if (!(await authorization.AuthorizeAsync(user, resource: null, policy)).Succeeded)
            {
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: $"the endpoint needs policy '{policyName}'");
            }
        }

        return null;
    }

    /// <summary>The request as the endpoint's outputs: {method, path, routeData, query, headers, body}; an unreadable body is the caller's 400.</summary>
    private static async Task<(JsonObject? Request, IResult? Problem)> ReadRequestAsync(HttpContext http, string path, string method, HttpEndpointMatch endpoint, HttpWorkflowOptions options)
    {
        var declared = http.Request.ContentLength;
        if (declared > options.MaxRequestBodyBytes)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large", detail: $"the body may be at most {options.MaxRequestBodyBytes} bytes"));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > options.MaxRequestBodyBytes)
            {
                return (null, Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large", detail: $"the body may be at most {options.MaxRequestBodyBytes} bytes"));
            }

            buffer.Write(chunk, 0, read);
        }

        JsonNode? body = null;
        if (buffer.Length > 0)
        {
            string text;
            try
            {
                text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            }
            catch (DecoderFallbackException)
            {
                return (null, BodyProblem("The request body is not valid UTF-8."));
            }

            var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant() ?? "";
            if (mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal))
            {
                try
                {
                    body = JsonNode.Parse(text.TrimStart('\uFEFF'), documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
                }
                catch (JsonException)
                {
                    return (null, BodyProblem("The request body is not valid JSON."));
                }
            }
            else if (mediaType == "application/x-www-form-urlencoded")
            {
                var fields = new JsonObject();
                foreach (var (key, value) in Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(text))
                {
                    fields[key] = value.Count == 1 ? value[0] : new JsonArray([.. value.Select(v => (JsonNode?)JsonValue.Create(v))]);
                }

                body = fields;
            }
            else
            {
                body = text;
            }
        }

        var query = new JsonObject();
        foreach (var (key, value) in http.Request.Query)
        {
            query[key] = value.FirstOrDefault();
        }

        var headers = new JsonObject();
        foreach (var (key, value) in http.Request.Headers.Where(h => !HiddenHeaders.Contains(h.Key)))
        {
            headers[key] = value.FirstOrDefault();
        }

        return (new JsonObject
        {
            ["method"] = method,
            ["path"] = path,
            ["queryString"] = http.Request.QueryString.Value ?? "",
            ["routeData"] = endpoint.RouteData.DeepClone(),
            ["query"] = query,
            ["headers"] = headers,
            ["contentType"] = http.Request.ContentType,
            ["body"] = body,
            ["user"] = http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name : null,
        }, null);
    }

    /// <summary>What WriteHttpResponse wrote; else a fault as 500 (as Elsa's fault handler answers), else 202 with the instance.</summary>
    private static IResult Answer(HttpRun run)
    {
        if (run.Response is { } response)
        {
            return new WorkflowResponse(response, ReservedResponseHeaders);
        }

        var last = run.Last.Instance;
        if (last.Status == InstanceStatus.Faulted)
        {
            var problem = TypedProblem(StatusCodes.Status500InternalServerError, "The workflow faulted", run.Last.Fault ?? "the workflow faulted");
            problem.Extensions["workflowInstanceId"] = run.InstanceId;
            return Results.Problem(problem);
        }

        return Results.Json(new { workflowInstanceId = run.InstanceId, status = last.Status.ToString() }, statusCode: StatusCodes.Status202Accepted);
    }

    private static Microsoft.AspNetCore.Mvc.ProblemDetails TypedProblem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };

    private static IResult BodyProblem(string detail) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [detail] }, detail: detail, title: "The request body cannot be read");

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    /// <summary>Writes a workflow's response; headers that are not valid HTTP are left out rather than failing the request.</summary>
    private sealed class WorkflowResponse(Liaison.Workflows.Runtime.HttpResponseRequest response, HashSet<string> reserved) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var http = httpContext.Response;
            http.StatusCode = response.StatusCode;
            foreach (var (name, value) in response.Headers)
            {
                if (!reserved.Contains(name) && IsToken(name) && value.All(c => c == '\t' || (c >= ' ' && c < 127)))
                {
                    http.Headers[name] = value;
                }
            }

            var bodyAllowed = response.StatusCode is >= 200 and not 204 and not 304 && !HttpMethods.IsHead(httpContext.Request.Method);
            if (response.Content is { } content && bodyAllowed)
            {
                http.ContentType = response.ContentType is { } type && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(type, out _) ? type : "text/plain";
                if (!http.ContentType.Contains("charset", StringComparison.OrdinalIgnoreCase) && (http.ContentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || http.ContentType.Contains("json", StringComparison.OrdinalIgnoreCase)))
                {
                    http.ContentType += "; charset=utf-8";
                }

                await http.WriteAsync(content, Encoding.UTF8, httpContext.RequestAborted);
            }
        }

        private static bool IsToken(string name) => name.Length > 0 && name.All(c => c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".IndexOf(c, StringComparison.Ordinal) < 0);
    }
}

/// <summary>Sends the requests of SendHttpRequest activities that no inbound request is waiting for (instances started by the API, timers, tasks).</summary>
internal sealed partial class OutgoingHttpWorker(IServiceScopeFactory scopes, HttpWorkflowOptions options, ILogger<OutgoingHttpWorker> logger) : BackgroundService
{
    // Fresh ones belong to the inbound request whose run created them; it sends them itself and answers with the result.
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.OutgoingPollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<HttpWorkflowService>().SendPendingAsync(null, null, Grace, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending the waiting HTTP requests of workflows failed; trying again at the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
