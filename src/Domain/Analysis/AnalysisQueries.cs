using System.Diagnostics;
using Liaison.Domain.Audit;
using Liaison.Domain.Common;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Liaison.Domain.Suggestions;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Analysis;

/// <summary>Analyses a text that is not (yet) a suggestion: proposed units, field and similar items.</summary>
public sealed record AnalyseText(string Title, string? Text) : IQuery<TextAnalysis>, IValidatable
{
    public void Validate(Validator v) => v
        .That(!string.IsNullOrWhiteSpace(Title) || !string.IsNullOrWhiteSpace(Text), nameof(Title), "a title or a text is required")
        .MaxLength(nameof(Title), Title, 300)
        .MaxLength(nameof(Text), Text, 20000);
}

public sealed class AnalyseTextHandler(LiaisonDbContext db) : IQueryHandler<AnalyseText, TextAnalysis>
{
    public async ValueTask<TextAnalysis> Handle(AnalyseText query, CancellationToken cancellationToken)
    {
        Validator.Ensure(query);
        var index = await AnalysisEngine.GetIndexAsync(db, cancellationToken);
        return index.Analyse(query.Title ?? string.Empty, query.Text ?? string.Empty);
    }
}

/// <summary>What the analysis step shows for a suggestion: proposals and similar items (itself excluded), and the office's decision if made.</summary>
public sealed record SuggestionAnalysis(Guid SuggestionId, string? Field, TextAnalysis Analysis, AnalysisDecisionView? Decision);

public sealed record AnalysisDecisionView(
    IReadOnlyList<Guid> ProposedUnitIds, string? ProposedField, IReadOnlyList<Guid> ChosenUnitIds, string? ChosenField,
    bool FirstProposalKept, bool ChosenInTopThree, bool FieldKept, DateTimeOffset DecidedAt, string DecidedBy)
{
    internal static AnalysisDecisionView From(AnalysisDecision d) =>
        new(d.ProposedUnitIds, d.ProposedField, d.ChosenUnitIds, d.ChosenField, d.FirstProposalKept, d.ChosenInTopThree, d.FieldKept, d.DecidedAt, d.DecidedBy);
}

/// <summary>The analysis step's query: proposed units with reasons, the field, and 并案 candidates for one suggestion.</summary>
public sealed record GetSuggestionAnalysis(Guid SuggestionId) : IQuery<SuggestionAnalysis>, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(SuggestionId), SuggestionId);
}

public sealed class GetSuggestionAnalysisHandler(LiaisonDbContext db) : IQueryHandler<GetSuggestionAnalysis, SuggestionAnalysis>
{
    /// <summary>Traces each analysis of a suggestion (tag "suggestion.id"): the costliest read of the office's pages.</summary>
    public const string TracingSource = "Liaison.Analysis";

    public static readonly ActivitySource Tracing = new(TracingSource);

    public async ValueTask<SuggestionAnalysis> Handle(GetSuggestionAnalysis query, CancellationToken cancellationToken)
    {
        Validator.Ensure(query);
        using var activity = Tracing.StartActivity("analyse suggestion");
        activity?.SetTag("suggestion.id", query.SuggestionId);
        var suggestion = await db.Suggestions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == query.SuggestionId, cancellationToken)
            ?? throw NotFound.For<Suggestion>(query.SuggestionId);
        var index = await AnalysisEngine.GetIndexAsync(db, cancellationToken);
        var decision = await db.AnalysisDecisions.AsNoTracking().FirstOrDefaultAsync(d => d.SuggestionId == suggestion.Id, cancellationToken);
        return new SuggestionAnalysis(
            suggestion.Id, suggestion.Field, index.Analyse(suggestion.Title, suggestion.Text, exclude: suggestion.Id), decision is null ? null : AnalysisDecisionView.From(decision));
    }
}

/// <summary>
/// Records the liaison office's final choice of units (lead first) and field for a suggestion, next to what
/// the analysis proposed at that moment, so the accuracy of the proposals is known in production. Deciding
/// again (after a return and reassignment) keeps the first proposals and updates the choice.
/// </summary>
public sealed record RecordAnalysisDecision(Guid SuggestionId, IReadOnlyList<Guid> UnitIds, string? Field, Actor Actor)
    : ICommand<AnalysisDecisionView>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v
        .NotEmpty(nameof(SuggestionId), SuggestionId)
        .That(UnitIds is { Count: > 0 and <= 20 }, nameof(UnitIds), "needs between 1 and 20 units")
        .That(UnitIds is null || UnitIds.Distinct().Count() == UnitIds.Count, nameof(UnitIds), "lists a unit twice")
        .MaxLength(nameof(Field), Field, 100);
}

public sealed class RecordAnalysisDecisionHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<RecordAnalysisDecision, AnalysisDecisionView>
{
    public async ValueTask<AnalysisDecisionView> Handle(RecordAnalysisDecision command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var suggestion = await db.GetAsync<Suggestion>(command.SuggestionId, cancellationToken);
        var known = await db.HandlingUnits.Where(u => command.UnitIds.Contains(u.Id)).Select(u => u.Id).ToListAsync(cancellationToken);
        foreach (var missing in command.UnitIds.Except(known))
        {
            throw NotFound.For<HandlingUnit>(missing);
        }

        var field = command.Field is null ? suggestion.Field : await FieldTaxonomy.ResolveAsync(db, command.Field, nameof(command.Field), cancellationToken);
        var decision = await db.AnalysisDecisions.FirstOrDefaultAsync(d => d.SuggestionId == suggestion.Id, cancellationToken);
        var now = clock.GetUtcNow();
        if (decision is null)
        {
            var index = await AnalysisEngine.GetIndexAsync(db, cancellationToken);
            var analysis = index.Analyse(suggestion.Title, suggestion.Text, exclude: suggestion.Id);
            decision = new AnalysisDecision
            {
                SuggestionId = suggestion.Id,
                ProposedUnitIds = analysis.Units.Select(u => u.UnitId).ToList(),
                ProposedField = analysis.Field?.Code,
                DecidedBy = command.Actor.UserId,
            };
            db.AnalysisDecisions.Add(decision);
        }

        decision.ChosenUnitIds = [.. command.UnitIds];
        decision.ChosenField = field;
        decision.FirstProposalKept = decision.ProposedUnitIds.FirstOrDefault() == command.UnitIds[0];
        decision.ChosenInTopThree = decision.ProposedUnitIds.Take(3).Contains(command.UnitIds[0]);
        decision.FieldKept = field is not null && field == decision.ProposedField;
        decision.DecidedAt = now;
        decision.DecidedBy = command.Actor.UserId;
        db.Audit(now, command.Actor, "analysis.decided", nameof(Suggestion), suggestion.Id, suggestion.Id,
            $"units {string.Join(",", command.UnitIds)}; first proposal {(decision.FirstProposalKept ? "kept" : "changed")}");
        await db.CommitAsync(cancellationToken);
        return AnalysisDecisionView.From(decision);
    }
}

/// <summary>How often the office kept the analysis' proposals, for the dashboard (decisions made in the period).</summary>
public sealed record GetAnalysisAccuracy(DateTimeOffset From, DateTimeOffset To) : IQuery<AnalysisAccuracy>;

public sealed record AnalysisAccuracy(int Decisions, int FirstProposalKept, int ChosenInTopThree, int FieldKept, double? FirstProposalRate, double? TopThreeRate, double? FieldRate);

public sealed class GetAnalysisAccuracyHandler(LiaisonDbContext db) : IQueryHandler<GetAnalysisAccuracy, AnalysisAccuracy>
{
    public async ValueTask<AnalysisAccuracy> Handle(GetAnalysisAccuracy query, CancellationToken cancellationToken)
    {
        var decisions = await db.AnalysisDecisions.AsNoTracking().Where(d => d.DecidedAt >= query.From && d.DecidedAt < query.To)
            .Select(d => new { d.FirstProposalKept, d.ChosenInTopThree, d.FieldKept }).ToListAsync(cancellationToken);
        var (n, first, top3, field) = (decisions.Count, decisions.Count(d => d.FirstProposalKept), decisions.Count(d => d.ChosenInTopThree), decisions.Count(d => d.FieldKept));
        double? Rate(int k) => n == 0 ? null : Math.Round((double)k / n, 4);
        return new AnalysisAccuracy(n, first, top3, field, Rate(first), Rate(top3), Rate(field));
    }
}
