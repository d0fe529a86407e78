using Liaison.Domain.Audit;
using Liaison.Domain.Common;
using Liaison.Domain.Organisation;
using Liaison.Domain.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Domain.Analysis;

/// <summary>The field taxonomy: a field is chosen by code (or by its exact Chinese name) from the active fields.</summary>
public static class FieldTaxonomy
{
    public static async Task<string> ResolveAsync(LiaisonDbContext db, string value, string fieldName, CancellationToken cancellationToken)
    {
        var wanted = value.Trim();
        var match = await db.FieldCategories.AsNoTracking().Where(f => f.Active && (f.Code == wanted || f.Name == wanted)).Select(f => f.Code).FirstOrDefaultAsync(cancellationToken);
        if (match is null && AnalysisDefaults.LegacyFieldNames.TryGetValue(wanted, out var legacy))
        {
            match = await db.FieldCategories.AsNoTracking().Where(f => f.Active && f.Code == legacy).Select(f => f.Code).FirstOrDefaultAsync(cancellationToken);
        }

        return match ?? throw new ValidationFailedException([new FieldError(fieldName, $"'{wanted}' is not a field of the taxonomy (GET /api/analysis/fields lists them)")]);
    }
}

public sealed record FieldCategoryView(string Code, string Name, string? EnglishName, string? Keywords, int SortOrder, bool Active);

public sealed record ListFieldCategories(bool IncludeInactive = false) : IQuery<IReadOnlyList<FieldCategoryView>>;

public sealed class ListFieldCategoriesHandler(LiaisonDbContext db) : IQueryHandler<ListFieldCategories, IReadOnlyList<FieldCategoryView>>
{
    public async ValueTask<IReadOnlyList<FieldCategoryView>> Handle(ListFieldCategories query, CancellationToken cancellationToken) =>
        await db.FieldCategories.AsNoTracking().Where(f => query.IncludeInactive || f.Active).OrderBy(f => f.SortOrder).ThenBy(f => f.Code)
            .Select(f => new FieldCategoryView(f.Code, f.Name, f.EnglishName, f.Keywords, f.SortOrder, f.Active)).ToListAsync(cancellationToken);
}

/// <summary>Adds a field or changes one (name, keywords, order, retired or not); the code never changes once used.</summary>
public sealed record SaveFieldCategory(string Code, string Name, string? EnglishName, string? Keywords, int SortOrder, bool Active, Actor Actor)
    : ICommand<FieldCategoryView>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v
        .Required(nameof(Code), Code, 50)
        .That(Code is null || Code.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'), nameof(Code), "may hold lower-case letters, digits and '-' only")
        .Required(nameof(Name), Name, 100)
        .MaxLength(nameof(EnglishName), EnglishName, 100)
        .MaxLength(nameof(Keywords), Keywords, 4000);
}

public sealed class SaveFieldCategoryHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<SaveFieldCategory, FieldCategoryView>
{
    public async ValueTask<FieldCategoryView> Handle(SaveFieldCategory command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var now = clock.GetUtcNow();
        var field = await db.FieldCategories.FindAsync([command.Code], cancellationToken);
        if (field is null)
        {
            field = new FieldCategory { Code = command.Code, Name = command.Name };
            db.FieldCategories.Add(field);
        }

        (field.Name, field.EnglishName, field.Keywords, field.SortOrder, field.Active, field.UpdatedAt) =
            (command.Name.Trim(), command.EnglishName?.Trim(), command.Keywords?.Trim(), command.SortOrder, command.Active, now);
        db.Audit(now, command.Actor, "analysis.field-saved", nameof(FieldCategory), Guid.Empty, null, $"{command.Code} {command.Name}{(command.Active ? string.Empty : " (retired)")}");
        await db.CommitAsync(cancellationToken);
        AnalysisEngine.Invalidate(db);
        return new FieldCategoryView(field.Code, field.Name, field.EnglishName, field.Keywords, field.SortOrder, field.Active);
    }
}

public sealed record DictionaryTermView(Guid Id, string Word, DictionaryTermKind Kind, DateTimeOffset AddedAt, string? AddedBy);

public sealed record ListDictionaryTerms(DictionaryTermKind? Kind = null) : IQuery<IReadOnlyList<DictionaryTermView>>;

public sealed class ListDictionaryTermsHandler(LiaisonDbContext db) : IQueryHandler<ListDictionaryTerms, IReadOnlyList<DictionaryTermView>>
{
    public async ValueTask<IReadOnlyList<DictionaryTermView>> Handle(ListDictionaryTerms query, CancellationToken cancellationToken) =>
        await db.DictionaryTerms.AsNoTracking().Where(t => query.Kind == null || t.Kind == query.Kind).OrderBy(t => t.Kind).ThenBy(t => t.Word)
            .Select(t => new DictionaryTermView(t.Id, t.Word, t.Kind, t.AddedAt, t.AddedBy)).ToListAsync(cancellationToken);
}

/// <summary>Extends the user dictionary (terms, place names) or the stop words; words already there are skipped.</summary>
public sealed record AddDictionaryTerms(IReadOnlyList<string> Words, DictionaryTermKind Kind, Actor Actor) : ICommand<int>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v)
    {
        v.That(Words is { Count: > 0 and <= 1000 }, nameof(Words), "needs between 1 and 1000 words").Defined(nameof(Kind), Kind);
        foreach (var (word, i) in (Words ?? []).Select((w, i) => (w, i)))
        {
            v.That(word is { Length: >= 1 and <= 40 } && !string.IsNullOrWhiteSpace(word) && !word.Any(char.IsWhiteSpace), $"{nameof(Words)}[{i}]", "must be 1 to 40 characters without spaces");
        }
    }
}

public sealed class AddDictionaryTermsHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<AddDictionaryTerms, int>
{
    public async ValueTask<int> Handle(AddDictionaryTerms command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var words = command.Words.Select(w => w.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var existing = await db.DictionaryTerms.Where(t => t.Kind == command.Kind && words.Contains(t.Word)).Select(t => t.Word).ToListAsync(cancellationToken);
        var fresh = words.Except(existing, StringComparer.Ordinal).ToList();
        var now = clock.GetUtcNow();
        db.DictionaryTerms.AddRange(fresh.Select(w => new DictionaryTerm { Word = w, Kind = command.Kind, AddedAt = now, AddedBy = command.Actor.UserId }));
        if (fresh.Count > 0)
        {
            db.Audit(now, command.Actor, "analysis.dictionary-added", nameof(DictionaryTerm), Guid.Empty, null, $"{command.Kind}: {string.Join(" ", fresh)}");
        }

        await db.CommitAsync(cancellationToken);
        AnalysisEngine.Invalidate(db);
        return fresh.Count;
    }
}

public sealed record RemoveDictionaryTerm(Guid Id, Actor Actor) : ICommand<bool>, IAuditedCommand;

public sealed class RemoveDictionaryTermHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<RemoveDictionaryTerm, bool>
{
    public async ValueTask<bool> Handle(RemoveDictionaryTerm command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var term = await db.GetAsync<DictionaryTerm>(command.Id, cancellationToken);
        db.DictionaryTerms.Remove(term);
        db.Audit(clock.GetUtcNow(), command.Actor, "analysis.dictionary-removed", nameof(DictionaryTerm), term.Id, null, $"{term.Kind}: {term.Word}");
        await db.CommitAsync(cancellationToken);
        AnalysisEngine.Invalidate(db);
        return true;
    }
}

/// <summary>Sets a unit's responsibilities (职责) text; the unit is proposed for matching items from the next analysis on.</summary>
public sealed record SetUnitResponsibilities(Guid UnitId, string? Responsibilities, Actor Actor) : ICommand<bool>, IAuditedCommand, IValidatable
{
    public void Validate(Validator v) => v.NotEmpty(nameof(UnitId), UnitId).MaxLength(nameof(Responsibilities), Responsibilities, 8000);
}

public sealed class SetUnitResponsibilitiesHandler(LiaisonDbContext db, TimeProvider clock) : ICommandHandler<SetUnitResponsibilities, bool>
{
    public async ValueTask<bool> Handle(SetUnitResponsibilities command, CancellationToken cancellationToken)
    {
        Validator.Ensure(command);
        var unit = await db.GetAsync<HandlingUnit>(command.UnitId, cancellationToken);
        unit.Responsibilities = string.IsNullOrWhiteSpace(command.Responsibilities) ? null : command.Responsibilities.Trim();
        db.Audit(clock.GetUtcNow(), command.Actor, "unit.responsibilities-set", nameof(HandlingUnit), unit.Id, null, unit.Responsibilities);
        await db.CommitAsync(cancellationToken);
        AnalysisEngine.Invalidate(db);
        return true;
    }
}
