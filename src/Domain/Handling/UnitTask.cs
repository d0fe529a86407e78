using Liaison.Domain.Common;

namespace Liaison.Domain.Handling;

public enum TaskRole
{
    /// <summary>主办 (or the only unit): handles and replies.</summary>
    Lead,

    /// <summary>协办/会办: sends a written opinion to the lead unit.</summary>
    CoHandling,

    /// <summary>分办: handles and replies on its own.</summary>
    Separate,
}

public enum UnitTaskStatus
{
    Assigned,
    SignedFor,
    Returned,
    CoOpinionSent,
    Replied,

    /// <summary>Replying again after a dissatisfied evaluation.</summary>
    Rehandling,
}

/// <summary>One unit's share of one suggestion: the item in the unit's inbox.</summary>
public sealed class UnitTask
{
    private UnitTask()
    {
    }

    public UnitTask(Guid suggestionId, Guid unitId, TaskRole role, DateTimeOffset assignedAt, DateTimeOffset returnDeadline, DateTimeOffset dueAt, DateTimeOffset latestDueAt)
    {
        SuggestionId = suggestionId;
        UnitId = unitId;
        Role = role;
        AssignedAt = assignedAt;
        ReturnDeadline = returnDeadline;
        DueAt = OriginalDueAt = dueAt;
        LatestDueAt = latestDueAt;
        Status = UnitTaskStatus.Assigned;
    }

    /// <summary>
    /// 并案: a linked suggestion whose deputy was dissatisfied with the primary's reply is re-handled on its own, by the
    /// unit that replied: its first own task starts in re-handling, already signed for and past any return.
    /// </summary>
    internal static UnitTask RehandlingLinked(Guid suggestionId, Guid unitId, DateTimeOffset at, DateTimeOffset dueAt, string by) => new(suggestionId, unitId, TaskRole.Lead, at, at, dueAt, dueAt)
    {
        SignedForAt = at,
        SignedForBy = by,
        Status = UnitTaskStatus.Rehandling,
    };

    public Guid Id { get; private set; } = Guid.CreateVersion7();

    public Guid SuggestionId { get; private set; }

    public Guid UnitId { get; private set; }

    public TaskRole Role { get; private set; }

    public UnitTaskStatus Status { get; private set; }

    public DateTimeOffset AssignedAt { get; private set; }

    /// <summary>Returning is allowed before this instant only.</summary>
    public DateTimeOffset ReturnDeadline { get; private set; }

    /// <summary>When the reply (or, for co-handling, the opinion) is due; moves with approved extensions and re-handling.</summary>
    public DateTimeOffset DueAt { get; private set; }

    public DateTimeOffset OriginalDueAt { get; private set; }

    /// <summary>The cap that extensions may not pass (assignment + the maximum total period).</summary>
    public DateTimeOffset LatestDueAt { get; private set; }

    public DateTimeOffset? SignedForAt { get; private set; }

    public string? SignedForBy { get; private set; }

    public DateTimeOffset? ReturnedAt { get; private set; }

    public string? ReturnReason { get; private set; }

    public string? CoOpinion { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public bool IsOpen => Status is UnitTaskStatus.Assigned or UnitTaskStatus.SignedFor or UnitTaskStatus.Rehandling;

    public bool Replies => Role is TaskRole.Lead or TaskRole.Separate;

    public void SignFor(DateTimeOffset at, string by)
    {
        if (Status != UnitTaskStatus.Assigned)
        {
            throw new DomainException(
                Status == UnitTaskStatus.SignedFor ? ErrorCodes.TaskAlreadySignedFor : ErrorCodes.TaskNotOpen,
                $"task {Id} is {Status}; only an assigned task can be signed for");
        }

        SignedForAt = at;
        SignedForBy = by;
        Status = UnitTaskStatus.SignedFor;
    }

    public void Return(DateTimeOffset at, string reason)
    {
        if (Status is not (UnitTaskStatus.Assigned or UnitTaskStatus.SignedFor))
        {
            throw new DomainException(ErrorCodes.TaskNotOpen, $"task {Id} is {Status} and can no longer be returned");
        }

        if (at >= ReturnDeadline)
        {
            throw new DomainException(ErrorCodes.ReturnWindowClosed, $"the return window of task {Id} closed at {ReturnDeadline:u}; the unit must handle it");
        }

        ReturnedAt = at;
        ReturnReason = reason;
        CompletedAt = at;
        Status = UnitTaskStatus.Returned;
    }

    public void SendCoOpinion(string opinion, DateTimeOffset at)
    {
        if (Role != TaskRole.CoHandling)
        {
            throw new DomainException(ErrorCodes.TaskWrongRole, $"task {Id} is a {Role} task; only co-handling units send a co-opinion");
        }

        EnsureSignedFor("send a co-opinion");
        CoOpinion = opinion;
        CompletedAt = at;
        Status = UnitTaskStatus.CoOpinionSent;
    }

    /// <summary>Guards every piece of work on the task: a unit works only what it has signed for.</summary>
    public void EnsureSignedFor(string what)
    {
        if (Status == UnitTaskStatus.Assigned)
        {
            throw new DomainException(ErrorCodes.TaskNotSignedFor, $"task {Id} must be signed for before the unit can {what}");
        }

        if (!IsOpen)
        {
            throw new DomainException(ErrorCodes.TaskNotOpen, $"task {Id} is {Status}; the unit cannot {what}");
        }
    }

    public void EnsureReplies()
    {
        if (!Replies)
        {
            throw new DomainException(ErrorCodes.TaskWrongRole, $"task {Id} is a co-handling task; the lead unit replies");
        }
    }

    internal void Extend(DateTimeOffset dueAt) => DueAt = dueAt;

    internal void MarkReplied(DateTimeOffset at)
    {
        CompletedAt = at;
        Status = UnitTaskStatus.Replied;
    }

    internal void Rehandle(DateTimeOffset dueAt)
    {
        DueAt = dueAt;
        CompletedAt = null;
        Status = UnitTaskStatus.Rehandling;
    }
}
