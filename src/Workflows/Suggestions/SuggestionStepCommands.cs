using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Domain.Common;
using Liaison.Domain.Handling;
using Liaison.Domain.Opinions;
using Liaison.Domain.Persistence;
using Liaison.Domain.Rules;
using Liaison.Domain.Suggestions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Workflows.Suggestions;

/// <summary>
/// The domain work of one completion: run it on the bridge (<see cref="SuggestionWorkflowService.CompleteAsync{T}"/>)
/// and pass <see cref="Data"/> as the completion data, which the workflow's scripts read (lead.unitId, category, ...).
/// </summary>
public sealed record SuggestionStepCommand(Func<ISender, LiaisonDbContext, CancellationToken, ValueTask<object?>> Run, JsonObject Data);

/// <summary>
/// Maps a suggestion or opinion task (its step type and task data), the chosen outcome and the caller's fields
/// to the domain commands that go with it, the way suggestion-handling.json and public-opinion.json expect:
/// the same mapping the workflow loop test drives by hand. Field names are camelCase; every missing or bad
/// field is reported at once as a <see cref="ValidationFailedException"/>.
/// </summary>
public static class SuggestionStepCommands
{
    public static SuggestionStepCommand Map(string step, string outcome, JsonObject taskData, JsonObject fields, Actor actor, Guid? deputyId = null)
    {
        var f = new Fields(fields);
        var t = new Fields(taskData, "task data ");
        var data = new JsonObject();
        Func<ISender, LiaisonDbContext, CancellationToken, ValueTask<object?>>? run = null;

        switch (step, outcome)
        {
            case ("Suggestions.Receive", "Admitted"):
                run = Send(new ReceiveSuggestion(t.Guid("suggestionId"), true, null, f.String("note"), actor));
                break;
            case ("Suggestions.Receive", "TurnedAway"):
                run = Send(new ReceiveSuggestion(t.Guid("suggestionId"), false, f.Enum<AdmissibilityReason>("reason"), f.String("note"), actor));
                break;
            case ("Suggestions.Analyse", "Key" or "Ordinary"):
                {
                    var isKey = outcome == "Key";
                    var field = f.Required("field");
                    var supervising = f.OptionalGuid("supervisingLeaderId");
                    f.That(!isKey || supervising is not null, "supervisingLeaderId", "is required for a key suggestion (the leader reviews it)");
                    run = Send(new ClassifySuggestion(t.Guid("suggestionId"), field, isKey, f.OptionalGuid("leadingLeaderId"), supervising, actor));
                    data["isKey"] = isKey;
                    data["field"] = field;
                    if (supervising is { } leader)
                    {
                        data["supervisingLeaderId"] = leader.ToString();
                    }

                    break;
                }

            case ("Suggestions.LeaderReview", "Endorsed"):
                run = (_, _, _) => ValueTask.FromResult<object?>(true);
                break;
            case ("Suggestions.Assign", "Assigned") when taskData["returnedTaskId"] is not null:
                {
                    // The same step reassigns a returned task: the workflow reads unitId and the new task id.
                    var unit = f.Guid("unitId");
                    run = Send(new ReassignTask(t.Guid("returnedTaskId"), unit, actor));
                    data["unitId"] = unit.ToString();
                    break;
                }

            case ("Suggestions.Assign", "Assigned"):
                {
                    var units = f.GuidList("unitIds");
                    var mode = f.OptionalEnum<AssignmentMode>("mode") ?? (units.Count > 1 ? AssignmentMode.LeadWithCoHandling : AssignmentMode.Single);
                    f.That(
                        (mode == AssignmentMode.Single && units.Count == 1) || (mode == AssignmentMode.LeadWithCoHandling && units.Count == 2),
                        "unitIds",
                        "the workflow carries one unit (Single) or a lead and one co-handling unit (LeadWithCoHandling)");
                    run = Send(new AssignSuggestion(t.Guid("suggestionId"), mode, units, actor));
                    data["lead"] = new JsonObject { ["unitId"] = units.ElementAtOrDefault(0).ToString() };
                    if (units.Count > 1)
                    {
                        data["co"] = new JsonObject { ["unitId"] = units[1].ToString() };
                    }

                    break;
                }

            case ("Suggestions.SignFor", "Signed"):
                run = Send(new SignForTask(t.Guid("unitTaskId"), actor));
                break;
            case ("Suggestions.SignFor", "Returned"):
                run = Send(new ReturnTask(t.Guid("unitTaskId"), f.Required("reason"), actor));
                break;
            case ("Suggestions.CoOpinion", "Sent"):
                run = Send(new SendCoOpinion(t.Guid("unitTaskId"), f.Required("opinion"), actor));
                break;
            case ("Suggestions.Consult", "Consulted"):
                run = Send(new RecordConsultation(
                    t.Guid("unitTaskId"), f.Time("at"), f.Enum<ConsultationMethod>("method"), f.Enum<ConsultationStage>("stage"), f.Required("participants"), f.String("notes"), actor));
                break;
            case ("Suggestions.Reply" or "Suggestions.Rehandle", "Replied"):
                {
                    var category = f.Enum<ReplyCategory>("category");
                    var publicInterest = f.Bool("publicInterest");
                    run = Send(new SubmitReply(t.Guid("unitTaskId"), category, f.Required("text"), publicInterest, actor));
                    data["category"] = category.ToString();
                    data["publicInterest"] = publicInterest;
                    break;
                }

            case ("Suggestions.Reply", "ExtensionRequested"):
                run = Send(new RequestExtension(t.Guid("unitTaskId"), f.Date("newLastDay"), f.Required("reason"), f.Required("explanationToDeputy"), actor));
                break;
            case ("Suggestions.DecideExtension", "Approved" or "Rejected"):
                run = Send(new DecideExtension(t.Guid("requestId"), outcome == "Approved", f.String("note"), actor));
                break;
            case ("Suggestions.ApproveReply", "Approved"):
                {
                    // Sending goes with the head's approval, in the same transaction.
                    var reply = t.Guid("replyId");
                    run = async (sender, _, ct) =>
                    {
                        await sender.Send(new ApproveReply(reply, actor), ct);
                        return await sender.Send(new SendReply(reply, actor), ct);
                    };
                    break;
                }

            case ("Suggestions.ApproveReply", "Returned"):
                // The draft stays as it is; the unit replies again (there is no domain command for a returned draft).
                run = (_, _, _) => ValueTask.FromResult<object?>(false);
                break;
            case ("Suggestions.RequestEvaluation", "Satisfied" or "BasicallySatisfied" or "Dissatisfied"):
                {
                    var reply = t.Guid("replyId");
                    var deputy = deputyId ?? f.Guid("deputyId");
                    var result = Enum.Parse<EvaluationResult>(outcome);
                    var comment = f.String("comment");
                    string? reason = null;
                    if (result == EvaluationResult.Dissatisfied)
                    {
                        reason = f.String("rehandleReason") ?? comment;
                        f.That(!string.IsNullOrWhiteSpace(reason), "comment", "is required when dissatisfied (it is the re-handling reason)");
                    }

                    run = async (sender, db, ct) =>
                    {
                        var evaluation = await sender.Send(new EvaluateReply(reply, deputy, result, comment, actor), ct);
                        if (reason is not null)
                        {
                            // 重新办理: the unit's task reopens in the same transaction, as the Rehandle step expects.
                            var unitTask = await db.Replies.AsNoTracking().Where(r => r.Id == reply).Select(r => r.TaskId).SingleAsync(ct);
                            await sender.Send(new RehandleTask(unitTask, reason, actor), ct);
                        }

                        return evaluation;
                    };
                    break;
                }

            case ("Suggestions.RequestEvaluation", "NotEvaluated"):
                // Only the due-item job takes this outcome: the domain refuses it while the window is open.
                run = Send(new CloseEvaluationWindow(t.Guid("replyId"), actor));
                break;
            case ("Suggestions.FollowUp", "Solved" or "Progress"):
                run = Send(new RecordFollowUp(t.Guid("replyId"), f.Required("note"), outcome == "Solved", actor));
                break;
            case ("Suggestions.Publish", "Published"):
                run = Send(new PublishReply(t.Guid("replyId"), actor));
                break;
            case ("Opinions.Intake", "Forwarded"):
                {
                    var unit = f.Guid("unitId");
                    run = Send(new ForwardPublicOpinion(t.Guid("opinionId"), unit, actor));
                    data["unitId"] = unit.ToString();
                    break;
                }

            case ("Opinions.Intake", "Answered"):
                run = Send(new AnswerPublicOpinion(t.Guid("opinionId"), f.Required("answer"), actor));
                break;
            case ("Opinions.Intake", "Converted"):
                run = Send(new ConvertOpinionToSuggestion(t.Guid("opinionId"), f.Int("term"), f.Int("year"), f.Required("title"), actor));
                break;
            case ("Opinions.Reply", "Replied"):
                run = Send(new AnswerForwardedOpinion(t.Guid("opinionId"), f.Required("answer"), actor));
                break;
            case ("Opinions.CallBack", "Satisfied" or "Dissatisfied"):
                {
                    // Dissatisfied reopens the opinion, so the Rehandle step's reply (Opinions.Reply) is accepted.
                    var note = f.String("note");
                    run = Send(new RecordOpinionCallBack(t.Guid("opinionId"), outcome == "Satisfied", note, actor));
                    data["note"] = note;
                    break;
                }
            default:
                f.That(false, "outcome", $"'{outcome}' is not an outcome of {step}");
                break;
        }

        f.ThrowIfInvalid(t);
        return new SuggestionStepCommand(run!, data);
    }

    private static Func<ISender, LiaisonDbContext, CancellationToken, ValueTask<object?>> Send<T>(ICommand<T> command) =>
        async (sender, _, ct) => await sender.Send(command, ct);

    /// <summary>Reads fields and collects what is wrong with them, so the caller hears about all at once.</summary>
    private sealed class Fields(JsonObject source, string prefix = "")
    {
        private readonly List<FieldError> _errors = [];

        public string? String(string name) => source[name] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;

        public string Required(string name)
        {
            var value = String(name);
            That(value is not null, name, "is required");
            return value ?? string.Empty;
        }

        public Guid Guid(string name) => OptionalGuid(name) ?? Fail(name, "is required (an id)", System.Guid.Empty);

        public Guid? OptionalGuid(string name) =>
            String(name) is not { } s ? null
            : System.Guid.TryParse(s, out var g) ? g
            : Fail<Guid?>(name, "is not an id", null);

        public IReadOnlyList<Guid> GuidList(string name)
        {
            if (source[name] is not JsonArray array || array.Count == 0)
            {
                return Fail<IReadOnlyList<Guid>>(name, "is required (a list of ids)", []);
            }

            var ids = array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) && System.Guid.TryParse(s, out var g) ? g : (Guid?)null).ToList();
            return ids.All(i => i is not null) ? ids.Select(i => i!.Value).ToList() : Fail<IReadOnlyList<Guid>>(name, "must hold ids only", []);
        }

        public TEnum Enum<TEnum>(string name)
            where TEnum : struct, System.Enum =>
            OptionalEnum<TEnum>(name) ?? (String(name) is null ? Fail(name, $"is required (one of {string.Join(", ", System.Enum.GetNames<TEnum>())})", default(TEnum)) : default);

        public TEnum? OptionalEnum<TEnum>(string name)
            where TEnum : struct, System.Enum
        {
            if (String(name) is not { } s)
            {
                return null;
            }

            return System.Enum.TryParse<TEnum>(s, true, out var value) && System.Enum.IsDefined(value) && !int.TryParse(s, out _)
                ? value
                : Fail<TEnum?>(name, $"must be one of {string.Join(", ", System.Enum.GetNames<TEnum>())}", null);
        }

        public bool Bool(string name) => source[name] is JsonValue v && v.GetValueKind() is JsonValueKind.True;

        public int Int(string name) =>
            source[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i : Fail(name, "is required (a number)", 0);

        public DateTimeOffset Time(string name) =>
            String(name) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : Fail(name, "is required (a date and time with offset)", default(DateTimeOffset));

        public DateOnly Date(string name) =>
            String(name) is { } s && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : Fail(name, "is required (yyyy-MM-dd)", default(DateOnly));

        public void That(bool condition, string name, string message)
        {
            if (!condition)
            {
                _errors.Add(new FieldError(name, message));
            }
        }

        public void ThrowIfInvalid(Fields other)
        {
            var errors = _errors.Concat(other._errors).ToList();
            if (errors.Count > 0)
            {
                throw new ValidationFailedException(errors);
            }
        }

        private T Fail<T>(string name, string message, T fallback)
        {
            _errors.Add(new FieldError(prefix + name, message));
            return fallback;
        }
    }
}
