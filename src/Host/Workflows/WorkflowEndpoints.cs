using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Host.Identity;
using Liaison.Workflows.Activities;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Validation;

namespace Liaison.Host.Workflows;

public sealed record StartInstanceRequest(string DefinitionId, Dictionary<string, JsonNode?>? Input, string? CorrelationKey);

public sealed record ResumeRequest(JsonNode? Payload);

public sealed record EventRequest(string EventName, string? CorrelationKey, JsonNode? Payload);

/// <summary>The outcome and optional data; who completed the task is the signed-in user.</summary>
public sealed record CompleteTaskRequest(string Outcome, JsonNode? Data);

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
        definitions.MapPost("/{definitionId}/publish", (string definitionId, int? version, DefinitionStore store, CancellationToken ct) => store.PublishAsync(definitionId, version, ct))
            .RequireAuthorization(Policies.EditDefinitions)
            .WithSummary("Validate and publish a version (default: the latest). 422 lists every problem.");
        definitions.MapPost("/{definitionId}/retract", (string definitionId, DefinitionStore store, CancellationToken ct) => store.RetractAsync(definitionId, ct))
            .RequireAuthorization(Policies.EditDefinitions)
            .WithSummary("Stop new instances; running ones continue on their version.");
        definitions.MapPost("/{definitionId}/rollback", (string definitionId, int version, DefinitionStore store, CancellationToken ct) => store.RollbackAsync(definitionId, version, ct))
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
        instances.MapGet("/", (string? definitionId, InstanceStatus? status, string? correlationKey, int? skip, int? take, WorkflowQueries queries, CancellationToken ct) =>
            queries.ListInstancesAsync(new InstanceFilter(definitionId, status, correlationKey, skip ?? 0, take ?? 50), ct))
            .RequireAuthorization(Policies.ReadInstances)
            .WithSummary("Instances, newest first, filtered by definition, status or correlation key.");
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
        tasks.MapGet("/", (string? assigneeKind, string? assigneeId, HumanTaskStatus? status, Guid? instanceId, int? skip, int? take, ClaimsPrincipal user, TaskAccess access, CancellationToken ct) =>
            access.ListAsync(user, new TaskFilter(assigneeKind, assigneeId, status, instanceId, skip ?? 0, take ?? 50), ct))
            .WithSummary("Human tasks the caller may see (their unit's, their roles', their own; all for LiaisonOffice, Leader, Admin), default open ones, earliest due first.");
        tasks.MapGet("/{id:guid}", VisibleTaskAsync);
        tasks.MapPost("/{id:guid}/complete", CompleteTaskAsync)
            .WithSummary("Complete a task with one of its outcomes; resumes the workflow. 404 when the task is not the caller's, 409 when already completed.");
    }

    /// <summary>A task the caller may not see answers exactly like a missing one.</summary>
    private static async Task<TaskView> VisibleTaskAsync(Guid id, ClaimsPrincipal user, WorkflowQueries queries, CancellationToken ct)
    {
        var task = await queries.GetTaskAsync(id, ct);
        return TaskAccess.CanSee(user, task.AssigneeKind, task.AssigneeId)
            ? task
            : throw new WorkflowEngineException(EngineErrorKind.NotFound, $"task {id} does not exist");
    }

    private static async Task<IResult> CompleteTaskAsync(Guid id, CompleteTaskRequest request, ClaimsPrincipal user, WorkflowQueries queries, WorkflowEngine engine, CancellationToken ct)
    {
        var task = await VisibleTaskAsync(id, user, queries, ct);
        if (!TaskAccess.CanComplete(user, task.AssigneeKind, task.AssigneeId))
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, detail: $"task {id} is assigned to {task.AssigneeKind} {task.AssigneeId}; you may see it but not complete it.");
        }

        if (string.IsNullOrWhiteSpace(request.Outcome))
        {
            throw new WorkflowEngineException(EngineErrorKind.BadRequest, "outcome is required");
        }

        return Results.Ok(await engine.CompleteTaskAsync(id, request.Outcome, request.Data, user.Identity?.Name, ct));
    }

    private static async Task<DefinitionDocument> GetDefinitionAsync(string definitionId, int? version, DefinitionStore store, CancellationToken ct)
    {
        var (info, definition) = await store.GetAsync(definitionId, version, ct);
        return new DefinitionDocument(info, ToNode(definition), store.Validate(definition));
    }

    private static async Task<DefinitionDocument> SaveDraftAsync(string definitionId, JsonElement body, int? expectedRevision, DefinitionStore store, CancellationToken ct)
    {
        var definition = Parse(body);
        if (!string.IsNullOrEmpty(definition.DefinitionId) && definition.DefinitionId != definitionId)
        {
            throw new WorkflowEngineException(EngineErrorKind.BadRequest, $"the body's definitionId '{definition.DefinitionId}' differs from the URL's '{definitionId}'");
        }

        definition.DefinitionId = definitionId;
        var info = await store.SaveDraftAsync(definition, "api", expectedRevision, ct);
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

    private static async Task<IResult> ImportAsync(HttpRequest request, string? definitionId, DefinitionStore store, CancellationToken ct)
    {
        var (info, problems) = await store.ImportAsync(await ReadBodyAsync(request, ct), definitionId, ct);
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
