using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Host.Identity;
using Liaison.Workflows.Activities;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Tasks;
using Liaison.Workflows.Validation;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Workflows;

public sealed record StartInstanceRequest(string DefinitionId, Dictionary<string, JsonNode?>? Input, string? CorrelationKey);

public sealed record ResumeRequest(JsonNode? Payload);

public sealed record EventRequest(string EventName, string? CorrelationKey, JsonNode? Payload);

/// <summary>What acting on a task did: the outcome, the step's result (what the workflow received) and where the workflow stands.</summary>
public sealed record TaskCompleted(Guid TaskId, string Step, string Outcome, JsonObject? Result, JsonNode? DomainResult, Guid WorkflowInstanceId, InstanceStatus WorkflowStatus, IReadOnlyList<OpenBookmark> Waiting);

/// <summary>A task with the declaration of its step: who may act, its outcomes and each outcome's form.</summary>
public sealed record TaskDetail(TaskView Task, TaskDeclaration Step, JsonObject Data, bool MayAct);

public sealed record ValidationReport(bool Valid, IReadOnlyList<ValidationProblem> Problems);

public sealed record DefinitionDocument(DefinitionVersionInfo Info, JsonNode Definition, IReadOnlyList<ValidationProblem> Problems);

/// <summary>
/// The engine's REST API: definitions and their versions, instances, events, bookmarks, tasks. Each group
/// names its policy (<see cref="Policies"/>); callers must be signed in (cookie or bearer token).
/// </summary>
public static class WorkflowEndpoints
{
    public static void MapWorkflowEndpoints(this IEndpointRouteBuilder app)
    {
        var definitions = app.MapGroup("/api/workflows/definitions").WithTags("Workflow definitions").RequireAuthorization(Policies.ReadDefinitions);
        definitions.MapGet("/", (DefinitionStore store, CancellationToken ct) => store.ListAsync(ct))
            .WithSummary("Latest and published version of every workflow.");
        definitions.MapGet("/{definitionId}", GetDefinitionAsync)
            .WithSummary("One version (default: the latest) with its definition JSON and validation problems.");
        definitions.MapGet("/{definitionId}/versions", (string definitionId, DefinitionStore store, CancellationToken ct) => store.HistoryAsync(definitionId, ct))
            .WithSummary("Version history, newest first.");
        definitions.MapPut("/{definitionId}/draft", SaveDraftAsync)
            .RequireAuthorization(Policies.EditDefinitions)
            .WithSummary("Save edits as a draft (creates a new draft version after a published one). Drafts may be invalid.");
        definitions.MapPost("/{definitionId}/publish", (string definitionId, int? version, string? note, ClaimsPrincipal user, DefinitionStore store, CancellationToken ct) => store.PublishAsync(definitionId, version, user.Identity?.Name, note, ct))
            .RequireAuthorization(Policies.EditDefinitions)
            .WithSummary("Validate and publish a version (default: the latest) with an optional note for the history. 422 lists every problem.");
        definitions.MapPost("/{definitionId}/retract", (string definitionId, ClaimsPrincipal user, DefinitionStore store, CancellationToken ct) => store.RetractAsync(definitionId, user.Identity?.Name, ct))
            .RequireAuthorization(Policies.EditDefinitions)
            .WithSummary("Stop new instances; running ones continue on their version.");
        definitions.MapPost("/{definitionId}/rollback", (string definitionId, int version, ClaimsPrincipal user, DefinitionStore store, CancellationToken ct) => store.RollbackAsync(definitionId, version, user.Identity?.Name, ct))
            .RequireAuthorization(Policies.EditDefinitions)
            .WithSummary("Copy an earlier version into a new draft.");
        definitions.MapGet("/{definitionId}/export", ExportAsync)
            .WithSummary("The native JSON of a version, as a file.");
        definitions.MapPost("/validate", Validate)
            .Accepts<JsonElement>("application/json")
            .Produces<ValidationReport>()
            .WithSummary("Validate a native or Elsa 3 definition without saving it; every problem at once.");
        definitions.MapPost("/import", ImportAsync)
            .Accepts<JsonElement>("application/json")
            .Produces<DefinitionDocument>(StatusCodes.Status201Created)
            .RequireAuthorization(Policies.EditDefinitions)
            .WithSummary("Import a native or Elsa 3 file as a draft. Unsupported activities stay visible and block publishing only.");

        app.MapGet("/api/workflows/activities", (ActivityRegistry registry) => registry.Descriptors)
            .RequireAuthorization(Policies.ReadDefinitions)
            .WithTags("Workflow definitions").WithSummary("Every activity type with its inputs, outputs and ports.");

        var instances = app.MapGroup("/api/workflows/instances").WithTags("Workflow instances");
        instances.MapPost("/", StartAsync).RequireAuthorization(Policies.StartInstances).WithSummary("Start an instance of the published version.");
        instances.MapGet("/", async (string? definitionId, InstanceStatus? status, string? correlationKey, string? after, int? take, WorkflowQueries queries, Api.ApiPages pages, CancellationToken ct) =>
            pages.Fit(await queries.ListInstancesAsync(new InstanceFilter(definitionId, status, correlationKey, after, take ?? 50), ct)))
            .RequireAuthorization(Policies.ReadInstances)
            .WithSummary("Instances, newest first, filtered by definition, status or correlation key; a page of at most 50 (default 50), after: the previous page's next.");
        instances.MapGet("/{id:guid}", (Guid id, WorkflowQueries queries, CancellationToken ct) => queries.GetInstanceAsync(id, ct))
            .RequireAuthorization(Policies.ReadInstances);
        instances.MapGet("/{id:guid}/journal", (Guid id, WorkflowQueries queries, CancellationToken ct) => queries.JournalAsync(id, ct))
            .RequireAuthorization(Policies.ReadInstances)
            .WithSummary("Every activity execution of the instance, in order.");
        instances.MapPost("/{id:guid}/cancel", (Guid id, WorkflowEngine engine, CancellationToken ct) => engine.CancelAsync(id, ct))
            .RequireAuthorization(Policies.OperateInstances);
        instances.MapPost("/{id:guid}/retry", (Guid id, WorkflowEngine engine, CancellationToken ct) => engine.RetryAsync(id, ct))
            .RequireAuthorization(Policies.OperateInstances)
            .WithSummary("Retry the activity that faulted the instance.");

        var runtime = app.MapGroup("/api/workflows").WithTags("Workflow instances");
        runtime.MapPost("/events", (EventRequest request, WorkflowEngine engine, CancellationToken ct) =>
            string.IsNullOrWhiteSpace(request.EventName)
                ? throw new WorkflowEngineException(EngineErrorKind.BadRequest, "eventName is required")
                : engine.PublishEventAsync(request.EventName, request.CorrelationKey, request.Payload, ct))
            .RequireAuthorization(Policies.OperateInstances)
            .WithSummary("Send an event; resumes every instance waiting for it with this correlation key.");
        runtime.MapPost("/bookmarks/{id:guid}/resume", (Guid id, ResumeRequest? request, WorkflowEngine engine, CancellationToken ct) => engine.ResumeAsync(id, request?.Payload, ct))
            .RequireAuthorization(Policies.OperateInstances)
            .WithSummary("Resume one bookmark; 409 when it was already resumed.");
        var tasks = app.MapGroup("/api/workflows/tasks").WithTags("Workflow instances").RequireAuthorization(Policies.Tasks);
        tasks.MapGet("/", async (string? assigneeKind, string? assigneeId, HumanTaskStatus? status, Guid? instanceId, string? correlationKey, string? activityType, string? after, int? take, ClaimsPrincipal user, TaskAccess access, Api.ApiPages pages, CancellationToken ct) =>
            pages.Fit(await access.ListAsync(user, new TaskFilter(assigneeKind, assigneeId, status ?? HumanTaskStatus.Open, instanceId, after, take ?? 50, correlationKey, ActivityTypes: string.IsNullOrEmpty(activityType) ? null : [activityType]), ct)))
            .WithSummary("Human tasks the caller may act on (their unit's, their unit role's, their roles', their own) or oversees (all for LiaisonOffice, Leader, Admin); default open ones, earliest due first; correlationKey (e.g. a suggestion id) lists every task about that item, child workflows included; activityType (e.g. Suggestions.Analyse) only that step's tasks; a page of at most 50 (default 50), after: the previous page's next.");
        tasks.MapGet("/{id:guid}", GetTaskAsync)
            .WithSummary("One task with its step's declaration (who may act, outcomes and their form fields); 404 when the caller may not see it.");
        tasks.MapPost("/{id:guid}/complete", CompleteTaskAsync)
            .WithSummary("Act on a task: its step checks who may act, runs the step's command and resumes the workflow, all in one transaction. Body: outcome and the outcome's form fields. 400 lists every bad field, 403 when the caller may see but not act, 404 when the task is not theirs, 409 when already completed or the rules refuse it.");
    }

    private static async Task<TaskDetail> GetTaskAsync(Guid id, ClaimsPrincipal user, WorkflowsDbContext db, TaskSteps steps, CancellationToken ct)
    {
        var acting = TaskAccess.ActingUserOf(user);
        var task = await db.HumanTasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (task is null || !TaskVisibility.CanSee(acting, task))
        {
            throw new WorkflowEngineException(EngineErrorKind.NotFound, $"task {id} does not exist");
        }

        var data = task.Data();
        data.Remove("result");
        return new TaskDetail(WorkflowQueries.ToView(task), steps.For(task).Describe(task), data, task.Status == HumanTaskStatus.Open && acting.IsAssignee(task.AssigneeKind, task.AssigneeId));
    }

    /// <summary>
    /// The body is the outcome with its form's fields, either beside it (<c>{"outcome":"Replied","category":"A",...}</c>)
    /// or under "fields" (or "data"). Only the fields the outcome's form declares are read.
    /// </summary>
    private static async Task<TaskCompleted> CompleteTaskAsync(Guid id, JsonObject? body, ClaimsPrincipal user, HttpContext http, TaskCompletion completion, CancellationToken ct)
    {
        body ??= [];
        var outcome = body["outcome"] is JsonValue v && v.TryGetValue<string>(out var o) ? o : null;
        var fields = body["fields"] as JsonObject ?? body["data"] as JsonObject ?? body;
        var done = await completion.CompleteAsync(id, outcome, fields, TaskAccess.ActingUserOf(user, http), ct);
        return new TaskCompleted(
            done.TaskId, done.ActivityType, done.Outcome, done.Result, done.Result?["domainResult"]?.DeepClone(), done.Workflow.Instance.Id, done.Workflow.Instance.Status, done.Workflow.Bookmarks);
    }

    private static async Task<DefinitionDocument> GetDefinitionAsync(string definitionId, int? version, DefinitionStore store, CancellationToken ct)
    {
        var (info, definition) = await store.GetAsync(definitionId, version, ct);
        return new DefinitionDocument(info, ToNode(definition), store.Validate(definition));
    }

    private static async Task<DefinitionDocument> SaveDraftAsync(string definitionId, JsonElement body, int? expectedRevision, ClaimsPrincipal user, DefinitionStore store, CancellationToken ct)
    {
        var definition = Parse(body);
        if (!string.IsNullOrEmpty(definition.DefinitionId) && definition.DefinitionId != definitionId)
        {
            throw new WorkflowEngineException(EngineErrorKind.BadRequest, $"the body's definitionId '{definition.DefinitionId}' differs from the URL's '{definitionId}'");
        }

        definition.DefinitionId = definitionId;
        var info = await store.SaveDraftAsync(definition, "api", expectedRevision, user.Identity?.Name, ct);
        return new DefinitionDocument(info, ToNode(definition), store.Validate(definition));
    }

    private static async Task<IResult> ExportAsync(string definitionId, int? version, DefinitionStore store, CancellationToken ct)
    {
        var (info, definition) = await store.GetAsync(definitionId, version, ct);
        return Results.File(
            System.Text.Encoding.UTF8.GetBytes(WorkflowDefinitionSerializer.Write(definition)),
            "application/json",
            $"{info.DefinitionId}.v{info.Version}.json");
    }

    /// <summary>Largest definition body accepted; real ones are a few hundred kilobytes at most.</summary>
    public const int MaxDefinitionBytes = 8 * 1024 * 1024;

    // The body is read as bytes, not bound as JSON: invalid UTF-8, nulls and odd shapes then get a 400 naming the problem.
    private static async Task<ValidationReport> Validate(HttpRequest request, DefinitionStore store, CancellationToken ct)
    {
        var problems = store.Validate(DefinitionStore.Load(await ReadBodyAsync(request, ct)).Definition);
        return new ValidationReport(problems.Count == 0, problems);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxDefinitionBytes)
            {
                throw new WorkflowEngineException(EngineErrorKind.BadRequest, $"the definition is larger than {MaxDefinitionBytes / (1024 * 1024)} MB");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.Length == 0
            ? throw new WorkflowEngineException(EngineErrorKind.BadRequest, "the request body is empty; send a native or Elsa 3 workflow definition as JSON")
            : buffer.ToArray();
    }

    private static async Task<IResult> ImportAsync(HttpRequest request, string? definitionId, ClaimsPrincipal user, DefinitionStore store, CancellationToken ct)
    {
        var (info, problems) = await store.ImportAsync(await ReadBodyAsync(request, ct), definitionId, user.Identity?.Name, ct);
        var (_, definition) = await store.GetAsync(info.DefinitionId, info.Version, ct);
        return Results.Created($"/api/workflows/definitions/{info.DefinitionId}?version={info.Version}", new DefinitionDocument(info, ToNode(definition), problems));
    }

    private static async Task<IResult> StartAsync(StartInstanceRequest request, WorkflowEngine engine, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.DefinitionId))
        {
            throw new WorkflowEngineException(EngineErrorKind.BadRequest, "definitionId is required");
        }

        var result = await engine.StartAsync(request.DefinitionId, request.Input, request.CorrelationKey, ct);
        return Results.Created($"/api/workflows/instances/{result.Instance.Id}", result);
    }

    private static WorkflowDefinition Parse(JsonElement body)
    {
        try
        {
            return WorkflowDefinitionSerializer.Read(body.GetRawText());
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            throw new WorkflowEngineException(EngineErrorKind.BadRequest, $"the body is not a native workflow definition: {ex.Message}", inner: ex);
        }
    }

    private static JsonNode ToNode(WorkflowDefinition definition) => JsonNode.Parse(WorkflowDefinitionSerializer.Write(definition))!;
}
