namespace Liaison.Domain.Common;

/// <summary>
/// A refused command: the code is stable (the API and the UI translate it), the message says why in English.
/// Throwing it before SaveChanges means the transaction changes nothing.
/// </summary>
public class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>A command with bad input; every problem is listed with the field at fault.</summary>
public sealed class ValidationFailedException(IReadOnlyList<FieldError> errors)
    : DomainException(ErrorCodes.ValidationFailed, "invalid input: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

public sealed record FieldError(string Field, string Message);

/// <summary>Every refusal code in one place, so callers can match on them.</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "validation.failed";
    public const string NotFound = "not-found";
    public const string Concurrency = "concurrency.conflict";
    public const string SettingInvalid = "setting.invalid";
    public const string AuditAppendOnly = "audit.append-only";

    public const string SuggestionNotSubmitted = "suggestion.not-submitted";
    public const string SuggestionNotAdmitted = "suggestion.not-admitted";
    public const string SuggestionAlreadyAssigned = "suggestion.already-assigned";
    public const string ReasonNotAllowed = "suggestion.reason-not-allowed";
    public const string SuggestionNotKey = "suggestion.not-key";

    public const string CoSignatureNotACoSigner = "co-signature.not-a-co-signer";
    public const string CoSignatureClosed = "co-signature.closed";
    public const string CoSignatureAnswered = "co-signature.already-answered";

    public const string OpinionNotOpen = "opinion.not-open";

    public const string TaskNotOpen = "task.not-open";
    public const string TaskAlreadySignedFor = "task.already-signed-for";
    public const string TaskNotSignedFor = "task.not-signed-for";
    public const string ReturnWindowClosed = "task.return-window-closed";
    public const string TaskWrongRole = "task.wrong-role";
    public const string TaskNotReturned = "task.not-returned";
    public const string TaskUnitAlreadyAssigned = "task.unit-already-assigned";

    public const string ReminderAlreadySent = "reminder.already-sent-today";
    public const string ReminderNoOpenTask = "reminder.no-open-task";

    public const string ExtensionAfterDeadline = "extension.after-deadline";
    public const string ExtensionBeyondLimit = "extension.beyond-limit";
    public const string ExtensionPending = "extension.already-pending";
    public const string ExtensionNotPending = "extension.not-pending";

    public const string ReplyPending = "reply.already-pending";
    public const string ReplyCoOpinionsPending = "reply.co-opinions-pending";
    public const string ReplyNotDraft = "reply.not-draft";
    public const string ReplyNotApproved = "reply.not-approved";
    public const string ReplyNotUnitHead = "reply.not-unit-head";
    public const string ReplyNotSent = "reply.not-sent";
    public const string ReplyNotPublic = "reply.not-public-interest";
    public const string ReplyAlreadyPublished = "reply.already-published";
    public const string FollowUpNotOpen = "reply.follow-up-not-open";

    public const string EvaluationDuplicate = "evaluation.duplicate";
    public const string EvaluationNotASigner = "evaluation.not-a-signer";
    public const string EvaluationWindowClosed = "evaluation.window-closed";
    public const string EvaluationWindowOpen = "evaluation.window-open";
    public const string RehandleNotDissatisfied = "rehandle.not-dissatisfied";
    public const string SuggestionHandledWithPrimary = "suggestion.handled-with-primary";
}

public static class NotFound
{
    public static DomainException For<T>(Guid id) => new(ErrorCodes.NotFound, $"{typeof(T).Name} {id} does not exist");
}
