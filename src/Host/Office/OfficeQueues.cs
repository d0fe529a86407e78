using System.Text.Json.Nodes;
using Liaison.Domain.Persistence;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Suggestions;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Office;

/// <summary>The office console's task tabs (the supervision board is a domain query of its own).</summary>
public enum OfficeQueue
{
    /// <summary>待受理: suggestions to admit or turn away (opinions a deputy turned into suggestions arrive here too).</summary>
    Intake,

    /// <summary>待分析.</summary>
    Analyse,

    /// <summary>待交办: first assignments and reassignments after a unit's return.</summary>
    Assign,

    /// <summary>退回申请: a unit returned its task; the office reassigns it (the Assign step with the returned task in its data).</summary>
    Returns,

    /// <summary>延期申请.</summary>
    Extensions,
}

/// <summary>One row of a queue: the task and what it is about.</summary>
public sealed record OfficeTaskRow(
    TaskView Task, Guid? SuggestionId, string? Number, string? Title, string? DeputyName, DateTimeOffset? SubmittedAt, bool FromOpinion,
    string? UnitName, string? Reason, DateTimeOffset? RequestedDueAt);

/// <summary>
/// The office's open tasks per step, paged in SQL through <see cref="WorkflowQueries"/> (the steps are told apart by the
/// step type in the task data), then the page's suggestions, deputies, units, returns and extension requests by key.
/// </summary>
public sealed class OfficeQueues(WorkflowQueries queries, WorkflowsDbContext workflows, LiaisonDbContext domain)
{
    public const string ReceiveStep = "Suggestions.Receive";
    public const string AnalyseStep = "Suggestions.Analyse";
    public const string AssignStep = "Suggestions.Assign";
    public const string DecideExtensionStep = "Suggestions.DecideExtension";

    /// <summary>What the workflow puts in a reassignment's task data: the unit task that came back.</summary>
    public const string ReturnedTaskKey = "returnedTaskId";

    public static TaskFilter FilterOf(OfficeQueue queue, string? after = null, int take = 20)
    {
        // The office's steps are assigned to its role (the steps' default); that narrows through the assignee index first.
        var office = new TaskFilter("Role", SuggestionRoles.LiaisonOffice, HumanTaskStatus.Open, After: after, Take: take);
        return queue switch
        {
            OfficeQueue.Intake => office with { ActivityTypes = [ReceiveStep] },
            OfficeQueue.Analyse => office with { ActivityTypes = [AnalyseStep] },
            OfficeQueue.Assign => office with { ActivityTypes = [AssignStep] },
            OfficeQueue.Returns => office with { ActivityTypes = [AssignStep], WithDataKey = ReturnedTaskKey },
            OfficeQueue.Extensions => office with { ActivityTypes = [DecideExtensionStep] },
            _ => throw new ArgumentOutOfRangeException(nameof(queue)),
        };
    }

    public async Task<IReadOnlyDictionary<OfficeQueue, int>> CountsAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<OfficeQueue, int>();
        foreach (var queue in Enum.GetValues<OfficeQueue>())
        {
            counts[queue] = await queries.CountTasksAsync(FilterOf(queue), cancellationToken: cancellationToken);
        }

        return counts;
    }

    public async Task<Page<OfficeTaskRow>> ListAsync(OfficeQueue queue, string? after, int take, CancellationToken cancellationToken)
    {
        var page = await queries.ListTasksAsync(FilterOf(queue, after, take), cancellationToken: cancellationToken);
        var taskIds = page.Items.Select(t => t.Id).ToList();
        var data = (await workflows.HumanTasks.AsNoTracking().Where(t => taskIds.Contains(t.Id)).Select(t => new { t.Id, t.DataJson }).ToListAsync(cancellationToken))
            .ToDictionary(t => t.Id, t => t.DataJson is null ? [] : JsonNode.Parse(t.DataJson) as JsonObject ?? []);
        Guid? IdIn(Guid task, string key) =>
            data.TryGetValue(task, out var d) && d[key] is JsonValue v && v.TryGetValue<string>(out var s) && Guid.TryParse(s, out var id) ? id : null;

        var suggestionIds = page.Items.Select(t => IdIn(t.Id, "suggestionId")).OfType<Guid>().Distinct().ToList();
        var suggestions = await domain.Suggestions.AsNoTracking().Where(s => suggestionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        var deputyIds = suggestions.Values.Select(s => s.LeadDeputyId).Distinct().ToList();
        var deputies = await domain.Deputies.AsNoTracking().Where(d => deputyIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);

        var returnedIds = page.Items.Select(t => IdIn(t.Id, ReturnedTaskKey)).OfType<Guid>().ToList();
        var returned = await domain.UnitTasks.AsNoTracking().Where(t => returnedIds.Contains(t.Id))
            .Select(t => new { t.Id, t.UnitId, t.ReturnReason }).ToDictionaryAsync(t => t.Id, cancellationToken);
        var requestIds = page.Items.Select(t => IdIn(t.Id, "requestId")).OfType<Guid>().ToList();
        var requests = await domain.ExtensionRequests.AsNoTracking().Where(r => requestIds.Contains(r.Id))
            .Select(r => new { r.Id, r.Reason, r.RequestedDueAt }).ToDictionaryAsync(r => r.Id, cancellationToken);
        var unitIds = returned.Values.Select(r => r.UnitId).Concat(page.Items.Select(t => IdIn(t.Id, "unitId")).OfType<Guid>()).Distinct().ToList();
        var units = await domain.HandlingUnits.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);

        var rows = page.Items.Select(task =>
        {
            var suggestion = IdIn(task.Id, "suggestionId") is { } sid && suggestions.TryGetValue(sid, out var s) ? s : null;
            var back = IdIn(task.Id, ReturnedTaskKey) is { } rid && returned.TryGetValue(rid, out var r) ? r : null;
            var request = IdIn(task.Id, "requestId") is { } qid && requests.TryGetValue(qid, out var q) ? q : null;
            var unitId = back?.UnitId ?? IdIn(task.Id, "unitId");
            return new OfficeTaskRow(
                task,
                suggestion?.Id,
                suggestion?.Number,
                suggestion?.Title,
                suggestion is not null && deputies.TryGetValue(suggestion.LeadDeputyId, out var deputy) ? deputy : null,
                suggestion?.SubmittedAt,
                suggestion?.SourceOpinionId is not null,
                unitId is { } u && units.TryGetValue(u, out var name) ? name : null,
                back?.ReturnReason ?? request?.Reason,
                request?.RequestedDueAt);
        }).ToList();
        return new Page<OfficeTaskRow>(rows, page.Total, page.Next, page.Take);
    }
}
