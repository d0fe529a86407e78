using System.Globalization;
using Liaison.Domain.Common;
using Liaison.Domain.Rules;

namespace Liaison.Domain.Suggestions;

public enum SuggestionSource
{
    /// <summary>Submitted during the congress session (大会期间).</summary>
    CongressSession,

    /// <summary>Submitted between sessions (闭会期间).</summary>
    BetweenSessions,
}

public enum SuggestionStatus
{
    /// <summary>Registered, admissibility not yet decided.</summary>
    Submitted,

    /// <summary>Not a suggestion; turned away with a reason.</summary>
    TurnedAway,

    Admitted,
    Assigned,

    /// <summary>Every replying unit has sent its reply.</summary>
    Replied,

    /// <summary>Every deputy evaluated the latest replies and none was dissatisfied.</summary>
    Closed,
}

public enum AssignmentMode
{
    /// <summary>One unit handles and replies.</summary>
    Single,

    /// <summary>主办 + 协办/会办: the lead unit replies, co-handling units send it their opinion.</summary>
    LeadWithCoHandling,

    /// <summary>分办: each unit handles and replies on its own.</summary>
    Separate,
}

public sealed class Suggestion
{
    private Suggestion()
    {
        Title = Text = string.Empty;
    }

    public Suggestion(int term, int year, string title, string text, SuggestionSource source, Guid leadDeputyId, IEnumerable<Guid> coSigners, DateTimeOffset at)
    {
        Term = term;
        Year = year;
        Title = title;
        Text = text;
        Source = source;
        LeadDeputyId = leadDeputyId;
        SubmittedAt = at;
        Status = SuggestionStatus.Submitted;
        foreach (var deputy in coSigners.Distinct().Where(d => d != leadDeputyId))
        {
            // 联名确认: each co-signer is asked; the office sees their answers when it decides on admission.
            CoSigners.Add(new SuggestionCoSigner { SuggestionId = Id, DeputyId = deputy, State = CoSignatureState.Pending, AskedAt = at });
        }
    }

    public Guid Id { get; private set; } = Guid.CreateVersion7();

    /// <summary>The congress term (届).</summary>
    public int Term { get; private set; }

    public int Year { get; private set; }

    /// <summary>Set on admission; unique per term and year.</summary>
    public int? Sequence { get; private set; }

    /// <summary>The number shown to people, e.g. "16-2026-0007".</summary>
    public string? Number => Sequence is { } s ? string.Create(CultureInfo.InvariantCulture, $"{Term}-{Year}-{s:0000}") : null;

    public string Title { get; private set; }

    public string Text { get; private set; }

    /// <summary>Field code (transport, education, health, ...), set when classified.</summary>
    public string? Field { get; private set; }

    public SuggestionSource Source { get; private set; }

    public Guid LeadDeputyId { get; private set; }

    /// <summary>联名: the co-signing deputies, the lead excluded.</summary>
    public List<SuggestionCoSigner> CoSigners { get; private set; } = [];

    public SuggestionStatus Status { get; private set; }

    public DateTimeOffset SubmittedAt { get; private set; }

    public DateTimeOffset? ReceivedAt { get; private set; }

    public AdmissibilityReason? TurnAwayReason { get; private set; }

    public string? TurnAwayNote { get; private set; }

    public bool IsKey { get; private set; }

    public Guid? LeadingLeaderId { get; private set; }

    public Guid? SupervisingLeaderId { get; private set; }

    public AssignmentMode? AssignmentMode { get; private set; }

    public DateTimeOffset? AssignedAt { get; private set; }

    /// <summary>The public opinion this suggestion grew from, if any.</summary>
    public Guid? SourceOpinionId { get; private set; }

    /// <summary>The signers: the lead and every co-signer who has not refused (an unconfirmed one still counts, 未确认).</summary>
    public IEnumerable<Guid> Deputies => CoSigners.Where(c => c.State != CoSignatureState.Refused).Select(c => c.DeputyId).Prepend(LeadDeputyId);

    /// <summary>The co-signer agrees to sign; only while the office has not decided on admission.</summary>
    public SuggestionCoSigner ConfirmCoSignature(Guid deputyId, DateTimeOffset at)
    {
        var signer = PendingCoSignature(deputyId);
        signer.State = CoSignatureState.Confirmed;
        signer.AnsweredAt = at;
        return signer;
    }

    /// <summary>The co-signer declines: from then on they are not a signer (not listed, not asked to evaluate).</summary>
    public SuggestionCoSigner RefuseCoSignature(Guid deputyId, string? reason, DateTimeOffset at)
    {
        var signer = PendingCoSignature(deputyId);
        signer.State = CoSignatureState.Refused;
        signer.RefusalReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        signer.AnsweredAt = at;
        return signer;
    }

    private SuggestionCoSigner PendingCoSignature(Guid deputyId)
    {
        var signer = CoSigners.FirstOrDefault(c => c.DeputyId == deputyId)
            ?? throw new DomainException(ErrorCodes.CoSignatureNotACoSigner, $"deputy {deputyId} is not a co-signer of suggestion {Id}");
        if (Status != SuggestionStatus.Submitted)
        {
            throw new DomainException(ErrorCodes.CoSignatureClosed, $"suggestion {Id} is {Status}; co-signatures are answered only before the office decides on admission");
        }

        if (signer.State != CoSignatureState.Pending)
        {
            throw new DomainException(ErrorCodes.CoSignatureAnswered, $"deputy {deputyId} has already answered ({signer.State}) for suggestion {Id}");
        }

        return signer;
    }

    internal void FromOpinion(Guid opinionId) => SourceOpinionId = opinionId;

    /// <summary>The field the deputy chose on submission; the office's classification replaces it.</summary>
    internal void ProposeField(string field)
    {
        EnsureStatus(SuggestionStatus.Submitted, ErrorCodes.SuggestionNotSubmitted, "given a proposed field");
        Field = field;
    }

    public void Admit(int sequence, DateTimeOffset at)
    {
        EnsureStatus(SuggestionStatus.Submitted, ErrorCodes.SuggestionNotSubmitted, "admitted");
        Sequence = sequence;
        ReceivedAt = at;
        Status = SuggestionStatus.Admitted;
    }

    public void TurnAway(AdmissibilityReason reason, string? note, DateTimeOffset at)
    {
        EnsureStatus(SuggestionStatus.Submitted, ErrorCodes.SuggestionNotSubmitted, "turned away");
        TurnAwayReason = reason;
        TurnAwayNote = note;
        ReceivedAt = at;
        Status = SuggestionStatus.TurnedAway;
    }

    public void Classify(string field, bool isKey, Guid? leadingLeaderId, Guid? supervisingLeaderId)
    {
        if (Status is SuggestionStatus.Submitted or SuggestionStatus.TurnedAway)
        {
            throw new DomainException(ErrorCodes.SuggestionNotAdmitted, $"suggestion {Id} is {Status}: only an admitted suggestion can be classified");
        }

        Field = field;
        IsKey = isKey;
        LeadingLeaderId = isKey ? leadingLeaderId : null;
        SupervisingLeaderId = isKey ? supervisingLeaderId : null;
    }

    public void Assign(AssignmentMode mode, DateTimeOffset at)
    {
        if (Status != SuggestionStatus.Admitted)
        {
            throw Status is SuggestionStatus.Submitted or SuggestionStatus.TurnedAway
                ? new DomainException(ErrorCodes.SuggestionNotAdmitted, $"suggestion {Id} is {Status}: only an admitted suggestion can be assigned")
                : new DomainException(ErrorCodes.SuggestionAlreadyAssigned, $"suggestion {Number} is already assigned");
        }

        AssignmentMode = mode;
        AssignedAt = at;
        Status = SuggestionStatus.Assigned;
    }

    /// <summary>
    /// 并案: the item is handled with its primary: it counts as assigned (no units of its own, so nothing of it can be
    /// late) and is replied when the primary's reply is delivered to it.
    /// </summary>
    internal void HandleWithPrimary(DateTimeOffset at)
    {
        EnsureStatus(SuggestionStatus.Admitted, ErrorCodes.SuggestionNotAdmitted, "handled with its primary");
        AssignedAt = at;
        Status = SuggestionStatus.Assigned;
    }

    internal void MarkReplied() => Status = SuggestionStatus.Replied;

    internal void MarkClosed() => Status = SuggestionStatus.Closed;

    internal void Reopen() => Status = SuggestionStatus.Assigned;

    private void EnsureStatus(SuggestionStatus expected, string code, string verb)
    {
        if (Status != expected)
        {
            throw new DomainException(code, $"suggestion {Id} is {Status}; only a {expected} suggestion can be {verb}");
        }
    }
}

/// <summary>联名确认: where a co-signer's signature stands.</summary>
public enum CoSignatureState
{
    /// <summary>Asked, not answered yet (未确认).</summary>
    Pending,

    Confirmed,

    /// <summary>Declined: no longer a signer.</summary>
    Refused,
}

public sealed class SuggestionCoSigner
{
    public Guid SuggestionId { get; set; }

    public Guid DeputyId { get; set; }

    public CoSignatureState State { get; set; }

    /// <summary>When the co-signer was asked (the submission).</summary>
    public DateTimeOffset? AskedAt { get; set; }

    /// <summary>When they confirmed or refused.</summary>
    public DateTimeOffset? AnsweredAt { get; set; }

    public string? RefusalReason { get; set; }
}

/// <summary>
/// 并案: a suggestion handled together with a primary one. Assigning the primary assigns the linked ones
/// to the same units, but each keeps its own tasks and replies, so every deputy still gets a reply.
/// </summary>
public sealed class SuggestionLink
{
    public Guid PrimarySuggestionId { get; set; }

    public Guid LinkedSuggestionId { get; set; }

    public DateTimeOffset LinkedAt { get; set; }
}

/// <summary>The last number given per term and year; the concurrency token makes two admissions race safely.</summary>
public sealed class SuggestionNumberCounter
{
    public int Term { get; set; }

    public int Year { get; set; }

    public int Last { get; set; }
}
