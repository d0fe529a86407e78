using System.Text.Json.Nodes;

using Liaison.Workflows.Activities;
using Liaison.Workflows.Activities.BuiltIn;
using Liaison.Workflows.Activities.Http;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Liaison.Workflows.Durable;

/// <summary>An HttpEndpoint whose route matched: a trigger of a published definition, or a waiting instance's bookmark.</summary>
public sealed record HttpEndpointMatch(
    string DefinitionId,
    string ActivityId,
    string Route,
    IReadOnlyList<string> Methods,
    bool Authorize,
    string? Policy,
    JsonObject RouteData,
    Guid? BookmarkId = null,
    Guid? InstanceId = null,
    string? CorrelationKey = null)
{
    public bool IsTrigger => BookmarkId is null;
}

/// <summary>What handling one inbound request did: every burst it ran, in order (the first written response answers the request).</summary>
public sealed record HttpRun(Guid InstanceId, IReadOnlyList<BurstResult> Bursts)
{
    public BurstResult Last => Bursts[^1];

    public HttpResponseRequest? Response => Bursts.SelectMany(b => b.HttpResponses).FirstOrDefault();
}

/// <summary>
/// HTTP workflows on the durable engine: finds the HttpEndpoint triggers and bookmarks a route matches, starts or
/// resumes the instance with the request (start and delivery in one transaction), and sends the requests of
/// SendHttpRequest activities after their burst is saved, resuming each with its response. A SendHttpRequest
/// bookmark is claimed with a lease (its due time) before sending, so one node sends it; a node that dies while
/// sending leaves it to be sent again once the lease runs out.
/// </summary>
public sealed partial class HttpWorkflows(
    WorkflowsDbContext db,
    DefinitionStore definitions,
    WorkflowEngine engine,
    UnitOfWork unit,
    IHttpClientFactory httpClients,
    TimeProvider clock,
    ILogger<HttpWorkflows> logger)
{
    /// <summary>Every HttpEndpoint whose route matches the path: triggers of published definitions first, then waiting instances.</summary>
    public async Task<IReadOnlyList<HttpEndpointMatch>> FindAsync(string path, CancellationToken cancellationToken = default)
    {
        var matches = new List<HttpEndpointMatch>();
        var published = await db.Definitions.AsNoTracking().Where(d => d.IsPublished).Select(d => new { d.Id, d.DefinitionId }).ToListAsync(cancellationToken);
        foreach (var row in published)
        {
            var definition = await definitions.GetVersionAsync(row.Id, cancellationToken);
            foreach (var node in definition.Root.Activities.Where(n => n.Type == HttpActivities.Endpoint && HttpEndpointActivity.CanStartWorkflow(n)))
            {
                // Only literal routes can be looked up before the workflow runs (Elsa indexes evaluated ones).
                if (ValueConversion.AsString(StaticInputs.Value(node, "path")) is { } route && HttpRoute.Check(route) is null && HttpRoute.Match(route, path) is { } values)
                {
                    matches.Add(new HttpEndpointMatch(
                        row.DefinitionId, node.Id, HttpRoute.Normalize(route), HttpEndpointActivity.Methods(StaticInputs.Value(node, "supportedMethods")),
                        ValueConversion.AsBoolean(StaticInputs.Value(node, "authorize")), ValueConversion.AsString(StaticInputs.Value(node, "policy")) is { Length: > 0 } p ? p : null, values));
                }
            }
        }

        var waiting = await db.Bookmarks.AsNoTracking()
            .Where(b => b.ConsumedAt == null && b.Kind == nameof(BookmarkKind.HttpEndpoint))
            .Join(db.Instances, b => b.InstanceId, i => i.Id, (b, i) => new { b.Id, b.InstanceId, b.ActivityId, b.EventName, b.PayloadJson, i.DefinitionId, i.CorrelationKey, b.CreatedAt })
            .OrderBy(b => b.CreatedAt).ToListAsync(cancellationToken);
        foreach (var b in waiting)
        {
            if (b.EventName is { } route && HttpRoute.Match(route, path) is { } values)
            {
                var payload = b.PayloadJson is null ? null : JsonNode.Parse(b.PayloadJson);
                matches.Add(new HttpEndpointMatch(
                    b.DefinitionId, b.ActivityId, route, HttpEndpointActivity.Methods(payload?["methods"]), ValueConversion.AsBoolean(payload?["authorize"]),
                    ValueConversion.AsString(payload?["policy"]) is { Length: > 0 } p ? p : null, values, b.Id, b.InstanceId, b.CorrelationKey));
            }
        }

        return matches;
    }

    /// <summary>Starts the published definition and delivers the request to its trigger, in one transaction; then sends its outgoing requests.</summary>
    public async Task<HttpRun> StartAsync(HttpEndpointMatch trigger, JsonObject request, string? correlationKey, CancellationToken cancellationToken = default)
    {
        var bursts = await unit.RunAsync(
            async ct =>
            {
                var started = await engine.StartAtAsync(trigger.DefinitionId, trigger.ActivityId, correlationKey, ct);
                var bookmark = started.Bookmarks.FirstOrDefault(b => b.ActivityId == trigger.ActivityId && b.Kind == nameof(BookmarkKind.HttpEndpoint));
                return bookmark is null ? [started] : new List<BurstResult> { started, await engine.ResumeAsync(bookmark.Id, request, ct) };
            },
            cancellationToken);
        return await FollowAsync(bursts[0].Instance.Id, bursts, cancellationToken);
    }

    /// <summary>Delivers the request to a waiting instance's endpoint; then sends its outgoing requests.</summary>
    public async Task<HttpRun> ResumeAsync(HttpEndpointMatch waiting, JsonObject request, CancellationToken cancellationToken = default)
    {
        var burst = await engine.ResumeAsync(waiting.BookmarkId ?? throw new ArgumentException("not a bookmark", nameof(waiting)), request, cancellationToken);
        return await FollowAsync(burst.Instance.Id, [burst], cancellationToken);
    }

    private async Task<HttpRun> FollowAsync(Guid instanceId, List<BurstResult> bursts, CancellationToken cancellationToken)
    {
        await SendPendingAsync(instanceId, bursts, TimeSpan.Zero, cancellationToken);
        return new HttpRun(instanceId, bursts);
    }

    /// <summary>
    /// Sends the waiting requests of SendHttpRequest activities (of one instance, or of all when null) and resumes
    /// each with its response, again until none is left; returns how many were sent. <paramref name="minimumAge"/>
    /// leaves fresh ones to the request that created them.
    /// </summary>
    public async Task<int> SendPendingAsync(Guid? instanceId, List<BurstResult>? bursts = null, TimeSpan? minimumAge = null, CancellationToken cancellationToken = default)
    {
        var sent = 0;
        for (var round = 0; round < 100; round++)
        {
            var now = clock.GetUtcNow();
            var createdBefore = now - (minimumAge ?? TimeSpan.Zero);
            var ids = await db.Bookmarks.AsNoTracking()
                .Where(b => b.ConsumedAt == null && b.Kind == nameof(BookmarkKind.HttpSend) && (instanceId == null || b.InstanceId == instanceId)
                    && (b.DueAt == null || b.DueAt <= now) && b.CreatedAt <= createdBefore)
                .OrderBy(b => b.CreatedAt).Select(b => b.Id).Take(20).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return sent;
            }

            foreach (var id in ids)
            {
                if (await SendOneAsync(id, bursts, cancellationToken))
                {
                    sent++;
                }
            }
        }

        return sent;
    }

    private async Task<bool> SendOneAsync(Guid bookmarkId, List<BurstResult>? bursts, CancellationToken cancellationToken)
    {
        var row = await db.Bookmarks.AsNoTracking().Where(b => b.Id == bookmarkId).Select(b => new { b.PayloadJson }).FirstOrDefaultAsync(cancellationToken);
        if (row?.PayloadJson is null || JsonNode.Parse(row.PayloadJson) is not JsonObject request)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var timeout = TimeSpan.FromMilliseconds(ValueConversion.AsDouble(request["timeoutMs"]) ?? 30_000);
        var retries = (int)(ValueConversion.AsDouble(request["retries"]) ?? 0);
        var lease = now + (timeout * (retries + 1)) + TimeSpan.FromSeconds(30 + (retries * 10));
        var claimed = await db.Bookmarks.Where(b => b.Id == bookmarkId && b.ConsumedAt == null && (b.DueAt == null || b.DueAt <= now))
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.DueAt, lease), cancellationToken);
        if (claimed == 0)
        {
            return false; // another node or request is sending it
        }

        var response = await HttpSender.SendAsync(httpClients.CreateClient(HttpSender.ClientName), request, cancellationToken);
        try
        {
            var burst = await engine.ResumeAsync(bookmarkId, response, cancellationToken);
            bursts?.Add(burst);
        }
        catch (WorkflowEngineException ex) when (ex.Kind is EngineErrorKind.Conflict or EngineErrorKind.NotFound)
        {
            // The instance was cancelled or finished meanwhile: the answer has nobody to go to.
            LogUndelivered(logger, bookmarkId, ex.Message);
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The response to HTTP request bookmark {BookmarkId} was not delivered: {Reason}")]
    private static partial void LogUndelivered(ILogger logger, Guid bookmarkId, string reason);
}
