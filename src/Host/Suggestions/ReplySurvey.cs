using System.Text.Json.Nodes;
using Liaison.Domain.Calendar;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Persistence;
using Liaison.Domain.Rules;
using Liaison.Domain.Suggestions;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Tasks;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Suggestions;

/// <summary>What a deputy sees on the satisfaction survey (征询意见表) of one reply.</summary>
public sealed record SurveyView(
    Guid ReplyId, Guid SuggestionId, string? Number, string Title, string UnitName, ReplyCategory Category, string Text,
    DateTimeOffset SentAt, DateTimeOffset ClosesAt, bool Closed, Guid DeputyId, EvaluationResult? MyResult, string? MyComment)
{
    public bool CanEvaluate => !Closed && MyResult is null;
}

/// <summary>
/// The survey behind both the page and the API: a deputy who signed the suggestion evaluates a sent reply.
/// The workflow waits for each signer's evaluation on a task of their own: the evaluation completes that task in one
/// transaction (the round's last answer starts re-handling when a signer was dissatisfied); without an open task
/// (a workflow that no longer waits) it is recorded on its own.
/// </summary>
public sealed class ReplySurvey(LiaisonDbContext db, WorkflowsDbContext workflows, TaskCompletion completion, ISender sender)
{
    public static readonly IReadOnlyList<EvaluationResult> Choices = [EvaluationResult.Satisfied, EvaluationResult.BasicallySatisfied, EvaluationResult.Dissatisfied];

    /// <summary>The survey for the first of <paramref name="deputies"/> who signed the reply's suggestion; null when none did (or no such sent reply).</summary>
    public async Task<SurveyView?> GetAsync(Guid replyId, IReadOnlyCollection<Guid> deputies, CancellationToken cancellationToken)
    {
        var reply = await db.Replies.AsNoTracking().FirstOrDefaultAsync(r => r.Id == replyId && r.Status == ReplyStatus.Sent, cancellationToken);
        if (reply is null)
        {
            return null;
        }

        var suggestion = await db.Suggestions.AsNoTracking().Include(s => s.CoSigners).SingleAsync(s => s.Id == reply.SuggestionId, cancellationToken);
        var deputy = deputies.FirstOrDefault(suggestion.Deputies.Contains);
        if (deputy == Guid.Empty)
        {
            return null;
        }

        var unit = await db.HandlingUnits.AsNoTracking().Where(u => u.Id == reply.UnitId).Select(u => u.Name).SingleAsync(cancellationToken);
        var mine = await db.Evaluations.AsNoTracking().FirstOrDefaultAsync(e => e.ReplyId == replyId && e.DeputyId == deputy, cancellationToken);
        var rules = await HandlingRules.LoadAsync(db, cancellationToken);
        var closesAt = rules.EvaluationWindow.DueFrom(reply.SentAt!.Value, await WorkingCalendar.LoadAsync(db, cancellationToken));
        return new SurveyView(
            reply.Id, suggestion.Id, suggestion.Number, suggestion.Title, unit, reply.Category, reply.Text, reply.SentAt.Value, closesAt,
            reply.EvaluationClosedAt is not null, deputy, mine?.Result, mine?.Comment);
    }

    public async Task<Guid> EvaluateAsync(Guid replyId, Guid deputy, EvaluationResult result, string? comment, ActingUser user, CancellationToken cancellationToken)
    {
        if (!Choices.Contains(result))
        {
            throw new ValidationFailedException([new FieldError("result", $"must be one of {string.Join(", ", Choices)}")]);
        }

        var task = await OpenTaskAsync(replyId, deputy, cancellationToken);
        if (task is null)
        {
            var actor = new Actor(user.UserId, user.Name, user.IpAddress, user.UserAgent);
            return await sender.Send(new EvaluateReply(replyId, deputy, result, comment, actor), cancellationToken);
        }

        // The workflow waits for this deputy: the evaluation is that task's completion, through its step.
        var done = await completion.CompleteAsync(task.Id, result.ToString(), new JsonObject { ["comment"] = comment }, user, cancellationToken);
        return Guid.Parse(done.Result!["domainResult"]!.GetValue<string>());
    }

    // The workflow's evaluation task for this reply and deputy, if it is still open.
    private async Task<HumanTaskRecord?> OpenTaskAsync(Guid replyId, Guid deputy, CancellationToken cancellationToken)
    {
        var person = deputy.ToString();
        var reply = replyId.ToString();
        var candidates = await workflows.HumanTasks.AsNoTracking()
            .Where(t => t.Status == HumanTaskStatus.Open && t.AssigneeKind == "Person" && t.AssigneeId == person && t.DataJson!.Contains(reply))
            .ToListAsync(cancellationToken);
        return candidates.FirstOrDefault(t => t.Data() is var d
            && d["step"]?.GetValue<string>() == "Suggestions.RequestEvaluation" && d["replyId"]?.GetValue<string>() == reply);
    }
}
