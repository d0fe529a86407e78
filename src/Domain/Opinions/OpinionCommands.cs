using Liaison.Domain.Audit;
using Liaison.Domain.Calendar;
using Liaison.Domain.Common;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Rules;
using Liaison.Domain.Suggestions;
using Mediator;

namespace Liaison.Domain.Opinions;

/// <summary>Records a citizen's opinion received by a deputy.</summary>
public sealed record RecordPublicOpinion(
    string CitizenName, string? CitizenPhone, OpinionChannel Channel, Guid? StationId, Guid DeputyId, string Content, Actor Actor)
    : ICommand<Guid>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v
        .Required(nameof(CitizenName), CitizenName, 100)
        .MaxLength(nameof(CitizenPhone), CitizenPhone, 50)
        .Defined(nameof(Channel), Channel)
        .That(Channel != OpinionChannel.Station || StationId is not null, nameof(StationId), "is required for an opinion given at a station")
        .NotEmpty(nameof(DeputyId), DeputyId)
        .Required(nameof(Content), Content, 20000);
}

public sealed class RecordPublicOpinionHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<RecordPublicOpinion, Guid>
{
    public async ValueTask<Guid> Handle(RecordPublicOpinion command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        _ = await db.GetAsync<Deputy>(command.DeputyId, cancellationToken);
        if (command.StationId is { } station)
        {
            _ = await db.GetAsync<Station>(station, cancellationToken);
        }

        var now = clock.GetUtcNow();
        var opinion = new PublicOpinion(command.CitizenName, new ContactDetails { Phone = command.CitizenPhone }, command.Channel, command.StationId, command.DeputyId, command.Content, now);
        db.PublicOpinions.Add(opinion);

        // The audit line names the channel, never the citizen: the trail is read more widely than the opinion.
        db.Audit(now, command.Actor, "opinion.received", nameof(PublicOpinion), opinion.Id, null, command.Channel.ToString());
        await db.CommitAsync(cancellationToken);
        return opinion.Id;
    }
}

public sealed record AnswerPublicOpinion(Guid OpinionId, string Answer, Actor Actor) : ICommand<bool>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(OpinionId), OpinionId).Required(nameof(Answer), Answer, 20000);
}

public sealed class AnswerPublicOpinionHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<AnswerPublicOpinion, bool>
{
    public async ValueTask<bool> Handle(AnswerPublicOpinion command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var opinion = await db.GetAsync<PublicOpinion>(command.OpinionId, cancellationToken);
        var now = clock.GetUtcNow();
        opinion.AnswerByDeputy(command.Answer, now);
        db.Audit(now, command.Actor, "opinion.answered", nameof(PublicOpinion), opinion.Id, null);
        await db.CommitAsync(cancellationToken);
        return true;
    }
}

/// <summary>Forwards an opinion to a unit, due back within the (short) forwarding period.</summary>
public sealed record ForwardPublicOpinion(Guid OpinionId, Guid UnitId, Actor Actor) : ICommand<DateTimeOffset>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(OpinionId), OpinionId).NotEmpty(nameof(UnitId), UnitId);
}

public sealed class ForwardPublicOpinionHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<ForwardPublicOpinion, DateTimeOffset>
{
    public async ValueTask<DateTimeOffset> Handle(ForwardPublicOpinion command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var opinion = await db.GetAsync<PublicOpinion>(command.OpinionId, cancellationToken);
        _ = await db.GetAsync<HandlingUnit>(command.UnitId, cancellationToken);
        var rules = await HandlingRules.LoadAsync(db, cancellationToken);
        var calendar = await WorkingCalendar.LoadAsync(db, cancellationToken);
        var now = clock.GetUtcNow();
        var due = rules.OpinionForward.DueFrom(now, calendar);
        opinion.Forward(command.UnitId, now, due);
        db.Audit(now, command.Actor, "opinion.forwarded", nameof(PublicOpinion), opinion.Id, null, $"unit {command.UnitId}, due {due:u}");
        await db.CommitAsync(cancellationToken);
        return due;
    }
}

public sealed record AnswerForwardedOpinion(Guid OpinionId, string Answer, Actor Actor) : ICommand<bool>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(OpinionId), OpinionId).Required(nameof(Answer), Answer, 20000);
}

public sealed class AnswerForwardedOpinionHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<AnswerForwardedOpinion, bool>
{
    public async ValueTask<bool> Handle(AnswerForwardedOpinion command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var opinion = await db.GetAsync<PublicOpinion>(command.OpinionId, cancellationToken);
        var now = clock.GetUtcNow();
        opinion.AnswerByUnit(command.Answer, now);
        db.Audit(now, command.Actor, "opinion.unit-answered", nameof(PublicOpinion), opinion.Id, null);
        await db.CommitAsync(cancellationToken);
        return true;
    }
}

/// <summary>
/// 回访: the citizen's satisfaction with the unit's answer. Dissatisfied reopens the opinion for the same
/// unit (重新办理) within the opinion re-handling period; the result is the new deadline, null when satisfied.
/// </summary>
public sealed record RecordOpinionCallBack(Guid OpinionId, bool Satisfied, string? Note, Actor Actor)
    : ICommand<DateTimeOffset?>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(OpinionId), OpinionId).MaxLength(nameof(Note), Note, 4000);
}

public sealed class RecordOpinionCallBackHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<RecordOpinionCallBack, DateTimeOffset?>
{
    public async ValueTask<DateTimeOffset?> Handle(RecordOpinionCallBack command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var opinion = await db.GetAsync<PublicOpinion>(command.OpinionId, cancellationToken);
        var now = clock.GetUtcNow();
        DateTimeOffset? due = null;
        if (!command.Satisfied)
        {
            var rules = await HandlingRules.LoadAsync(db, cancellationToken);
            var calendar = await WorkingCalendar.LoadAsync(db, cancellationToken);
            due = rules.OpinionRehandle.DueFrom(now, calendar);
        }

        opinion.RecordCallBack(command.Satisfied, due ?? default);
        var detail = command.Satisfied ? "Satisfied" : $"Dissatisfied, re-handling due {due:u}";
        db.Audit(now, command.Actor, "opinion.called-back", nameof(PublicOpinion), opinion.Id, null, command.Note is null ? detail : $"{detail}: {command.Note}");
        await db.CommitAsync(cancellationToken);
        return due;
    }
}

/// <summary>The receiving deputy turns the opinion into a suggestion of their own (submitted, awaiting admission).</summary>
public sealed record ConvertOpinionToSuggestion(Guid OpinionId, int Term, int Year, string Title, Actor Actor)
    : ICommand<Guid>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v
        .NotEmpty(nameof(OpinionId), OpinionId)
        .That(Term > 0, nameof(Term), "must be positive")
        .Required(nameof(Title), Title, 300);
}

public sealed class ConvertOpinionToSuggestionHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<ConvertOpinionToSuggestion, Guid>
{
    public async ValueTask<Guid> Handle(ConvertOpinionToSuggestion command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var opinion = await db.GetAsync<PublicOpinion>(command.OpinionId, cancellationToken);
        var now = clock.GetUtcNow();
        var suggestion = new Suggestion(command.Term, command.Year, command.Title, opinion.Content, SuggestionSource.BetweenSessions, opinion.DeputyId, [], now);
        suggestion.FromOpinion(opinion.Id);
        opinion.ConvertTo(suggestion.Id);
        db.Suggestions.Add(suggestion);
        db.Audit(now, command.Actor, "opinion.converted", nameof(PublicOpinion), opinion.Id, suggestion.Id);
        db.Audit(now, command.Actor, "suggestion.submitted", nameof(Suggestion), suggestion.Id, suggestion.Id, "from a public opinion");
        await db.CommitAsync(cancellationToken);
        return suggestion.Id;
    }
}
