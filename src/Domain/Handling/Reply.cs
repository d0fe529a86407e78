using Liaison.Domain.Common;

namespace Liaison.Domain.Handling;

public enum ReplyCategory
{
    /// <summary>Solved or basically solved.</summary>
    A,

    /// <summary>Being solved or in the plan.</summary>
    B,

    /// <summary>To be solved later because of present conditions.</summary>
    C,

    /// <summary>Kept for reference.</summary>
    D,
}

public enum ReplyStatus
{
    Draft,
    Approved,
    Sent,

    /// <summary>The head sent the draft back; the unit drafts a new one.</summary>
    Returned,
}

/// <summary>A unit's written reply (答复), approved by the unit's head before it is sent.</summary>
public sealed class Reply
{
    private Reply()
    {
        Text = DraftedBy = string.Empty;
    }

    public Reply(UnitTask task, int round, ReplyCategory category, string text, bool publicInterest, DateTimeOffset at, string draftedBy)
    {
        TaskId = task.Id;
        SuggestionId = task.SuggestionId;
        UnitId = task.UnitId;
        Round = round;
        Category = category;
        Text = text;
        PublicInterest = publicInterest;
        DraftedAt = at;
        DraftedBy = draftedBy;
        Status = ReplyStatus.Draft;
    }

    /// <summary>
    /// 并案: the primary's sent reply delivered to a linked suggestion, as that suggestion's own reply (its deputies
    /// evaluate it). It keeps the primary's unit task (<see cref="TaskId"/> names a task of another suggestion: that is
    /// what "answered through the primary" means), text, category and timeliness; publication and B/C tracking stay
    /// with the primary's reply, so they are not owed twice.
    /// </summary>
    internal static Reply AnsweringLinked(Reply primary, Guid linkedSuggestionId)
    {
        primary.EnsureSent("it answers a linked suggestion");
        return new Reply
        {
            TaskId = primary.TaskId,
            SuggestionId = linkedSuggestionId,
            UnitId = primary.UnitId,
            Round = 1,
            Category = primary.Category,
            Text = primary.Text,
            PublicInterest = false,
            DraftedAt = primary.DraftedAt,
            DraftedBy = primary.DraftedBy,
            ApprovedAt = primary.ApprovedAt,
            ApprovedBy = primary.ApprovedBy,
            SentAt = primary.SentAt,
            DueAt = primary.DueAt,
            OnTime = primary.OnTime,
            Status = ReplyStatus.Sent,
        };
    }

    public Guid Id { get; private set; } = Guid.CreateVersion7();

    public Guid TaskId { get; private set; }

    public Guid SuggestionId { get; private set; }

    public Guid UnitId { get; private set; }

    /// <summary>1 for the first reply, 2+ after re-handling.</summary>
    public int Round { get; private set; }

    public ReplyCategory Category { get; private set; }

    public string Text { get; private set; }

    /// <summary>Touches the public interest, so it is published (without personal data).</summary>
    public bool PublicInterest { get; private set; }

    public ReplyStatus Status { get; private set; }

    public DateTimeOffset DraftedAt { get; private set; }

    public string DraftedBy { get; private set; }

    public DateTimeOffset? ApprovedAt { get; private set; }

    public string? ApprovedBy { get; private set; }

    public DateTimeOffset? SentAt { get; private set; }

    /// <summary>The task's due time when the reply was sent, kept so on-time rates survive later changes.</summary>
    public DateTimeOffset? DueAt { get; private set; }

    public bool? OnTime { get; private set; }

    public DateTimeOffset? PublishDueAt { get; private set; }

    public DateTimeOffset? PublishedAt { get; private set; }

    /// <summary>B and C replies stay open for tracking (跟踪办理) until solved.</summary>
    public bool FollowUpOpen { get; private set; }

    public DateTimeOffset? SolvedAt { get; private set; }

    /// <summary>When the evaluation window closed; deputies who had not evaluated by then count as not evaluated.</summary>
    public DateTimeOffset? EvaluationClosedAt { get; private set; }

    public void CloseEvaluation(DateTimeOffset at)
    {
        EnsureSent("its evaluation window is closed");
        if (EvaluationClosedAt is not null)
        {
            throw new DomainException(ErrorCodes.EvaluationWindowClosed, $"the evaluation window of reply {Id} closed at {EvaluationClosedAt:u}");
        }

        EvaluationClosedAt = at;
    }

    /// <summary>The head sends the draft back to the unit; it is kept, and the next draft is a new round.</summary>
    public void ReturnToUnit()
    {
        if (Status != ReplyStatus.Draft)
        {
            throw new DomainException(ErrorCodes.ReplyNotDraft, $"reply {Id} is {Status}; only a draft is sent back");
        }

        Status = ReplyStatus.Returned;
    }

    public void Approve(DateTimeOffset at, string by)
    {
        if (Status != ReplyStatus.Draft)
        {
            throw new DomainException(ErrorCodes.ReplyNotDraft, $"reply {Id} is {Status}; only a draft is approved");
        }

        ApprovedAt = at;
        ApprovedBy = by;
        Status = ReplyStatus.Approved;
    }

    public void Send(DateTimeOffset at, DateTimeOffset dueAt, DateTimeOffset? publishDueAt)
    {
        if (Status != ReplyStatus.Approved)
        {
            throw new DomainException(ErrorCodes.ReplyNotApproved, $"reply {Id} is {Status}; the head of the unit must approve it before it is sent");
        }

        SentAt = at;
        DueAt = dueAt;
        OnTime = at < dueAt;
        PublishDueAt = PublicInterest ? publishDueAt : null;
        FollowUpOpen = Category is ReplyCategory.B or ReplyCategory.C;
        Status = ReplyStatus.Sent;
    }

    public void EnsureSent(string what)
    {
        if (Status != ReplyStatus.Sent)
        {
            throw new DomainException(ErrorCodes.ReplyNotSent, $"reply {Id} is {Status}; it must be sent before {what}");
        }
    }

    public void Publish(DateTimeOffset at)
    {
        EnsureSent("it is published");
        if (!PublicInterest)
        {
            throw new DomainException(ErrorCodes.ReplyNotPublic, $"reply {Id} does not touch the public interest and is not published");
        }

        if (PublishedAt is not null)
        {
            throw new DomainException(ErrorCodes.ReplyAlreadyPublished, $"reply {Id} was published at {PublishedAt:u}");
        }

        PublishedAt = at;
    }

    public void RecordFollowUp(bool solved, DateTimeOffset at)
    {
        EnsureSent("it is followed up");
        if (!FollowUpOpen)
        {
            throw new DomainException(ErrorCodes.FollowUpNotOpen, $"reply {Id} (category {Category}) has no open follow-up");
        }

        if (solved)
        {
            FollowUpOpen = false;
            SolvedAt = at;
        }
    }
}

public enum EvaluationResult
{
    Satisfied,
    BasicallySatisfied,
    Dissatisfied,

    /// <summary>The window closed without an answer: reported apart, never counted as satisfied.</summary>
    NotEvaluated,
}

/// <summary>One deputy's evaluation of one reply; a unique index keeps it to one.</summary>
public sealed class Evaluation
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid ReplyId { get; init; }

    public Guid SuggestionId { get; init; }

    public Guid DeputyId { get; init; }

    public EvaluationResult Result { get; init; }

    public string? Comment { get; init; }

    public DateTimeOffset At { get; init; }
}

public enum ExtensionStatus
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>延期: asked before the deadline, approved by the liaison office, explained to the deputy.</summary>
public sealed class ExtensionRequest
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid TaskId { get; init; }

    public Guid SuggestionId { get; init; }

    public DateTimeOffset RequestedAt { get; init; }

    public required string RequestedBy { get; init; }

    public DateTimeOffset PreviousDueAt { get; init; }

    public DateTimeOffset RequestedDueAt { get; init; }

    public required string Reason { get; init; }

    public required string ExplanationToDeputy { get; init; }

    public ExtensionStatus Status { get; private set; } = ExtensionStatus.Pending;

    public DateTimeOffset? DecidedAt { get; private set; }

    public string? DecidedBy { get; private set; }

    public string? DecisionNote { get; private set; }

    public void Decide(bool approve, DateTimeOffset at, string by, string? note)
    {
        if (Status != ExtensionStatus.Pending)
        {
            throw new DomainException(ErrorCodes.ExtensionNotPending, $"extension request {Id} was already {Status}");
        }

        Status = approve ? ExtensionStatus.Approved : ExtensionStatus.Rejected;
        DecidedAt = at;
        DecidedBy = by;
        DecisionNote = note;
    }
}

public enum ConsultationMethod
{
    Visit,
    Phone,
    Meeting,
    Online,
}

public enum ConsultationStage
{
    /// <summary>三见面: before handling, during, and after the reply.</summary>
    Before,
    During,
    After,
}

/// <summary>面商: the unit meets the deputy.</summary>
public sealed class Consultation
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid TaskId { get; init; }

    public Guid SuggestionId { get; init; }

    public Guid UnitId { get; init; }

    public DateTimeOffset At { get; init; }

    public ConsultationMethod Method { get; init; }

    public ConsultationStage Stage { get; init; }

    /// <summary>Who took part (deputy, unit staff), as written by the unit.</summary>
    public required string Participants { get; init; }

    public string? Notes { get; init; }

    public DateTimeOffset RecordedAt { get; init; }
}

/// <summary>A tracking note on a B or C reply; the last one may mark the problem solved.</summary>
public sealed class FollowUp
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid ReplyId { get; init; }

    public Guid SuggestionId { get; init; }

    public DateTimeOffset At { get; init; }

    public required string Note { get; init; }

    public bool Solved { get; init; }
}
