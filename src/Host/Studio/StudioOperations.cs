using System.Security.Claims;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Workflows.Activities;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Validation;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Studio;

/// <summary>A choice in a picker: the stored value and what the designer reads.</summary>
public sealed record PickerOption(string Value, string Label);

/// <summary>
/// What the Studio's pages do, each call in its own DI scope: a Blazor circuit lives for hours, and a
/// DbContext kept that long would serve stale rows and grow without end.
/// </summary>
public sealed class StudioOperations(IServiceScopeFactory scopes, ActivityRegistry registry)
{
    public ActivityRegistry Registry => registry;

    public async Task<T> WithStoreAsync<T>(Func<DefinitionStore, Task<T>> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<DefinitionStore>());
    }

    public Task<IReadOnlyList<DefinitionVersionInfo>> ListAsync() => WithStoreAsync(s => s.ListAsync());

    public Task<IReadOnlyList<DefinitionVersionInfo>> HistoryAsync(string definitionId) => WithStoreAsync(s => s.HistoryAsync(definitionId));

    /// <summary>A version to edit: a copy, because the store hands out the engine's cached (and, once published, frozen) definitions.</summary>
    public async Task<(DefinitionVersionInfo Info, WorkflowDefinition Definition)> GetAsync(string definitionId, int? version = null)
    {
        var (info, cached) = await WithStoreAsync(s => s.GetAsync(definitionId, version));
        return (info, WorkflowDefinitionSerializer.Read(WorkflowDefinitionSerializer.Write(cached)));
    }

    public IReadOnlyList<ValidationProblem> Validate(WorkflowDefinition definition) => new WorkflowValidator(registry).Validate(definition);

    /// <summary>A new workflow: a draft holding one Start activity.</summary>
    public Task<DefinitionVersionInfo> CreateAsync(string definitionId, string name, ClaimsPrincipal user)
    {
        CheckId(definitionId);
        return WithStoreAsync(async s =>
        {
            if ((await s.ListAsync()).Any(d => d.DefinitionId == definitionId))
            {
                throw new WorkflowEngineException(EngineErrorKind.Conflict, $"workflow '{definitionId}' already exists");
            }

            var definition = new WorkflowDefinition { DefinitionId = definitionId, Name = string.IsNullOrWhiteSpace(name) ? definitionId : name.Trim() };
            return await s.SaveDraftAsync(definition, "studio", null, user.Identity?.Name);
        });
    }

    /// <summary>Copies the latest version of a workflow into a new workflow's first draft.</summary>
    public Task<DefinitionVersionInfo> CloneAsync(string sourceId, string newId, ClaimsPrincipal user)
    {
        CheckId(newId);
        return WithStoreAsync(async s =>
        {
            if ((await s.ListAsync()).Any(d => d.DefinitionId == newId))
            {
                throw new WorkflowEngineException(EngineErrorKind.Conflict, $"workflow '{newId}' already exists");
            }

            var (_, source) = await s.GetAsync(sourceId);
            var copy = WorkflowDefinitionSerializer.Read(WorkflowDefinitionSerializer.Write(source));
            copy.DefinitionId = newId;
            copy.Name = $"{source.Name} (copy)";
            return await s.SaveDraftAsync(copy, $"clone:{sourceId}", null, user.Identity?.Name);
        });
    }

    public Task DeleteDraftAsync(string definitionId) => WithStoreAsync(async s =>
    {
        await s.DeleteDraftAsync(definitionId);
        return true;
    });

    public Task<(DefinitionVersionInfo Info, IReadOnlyList<ValidationProblem> Problems)> ImportAsync(string json, string? definitionId, ClaimsPrincipal user) =>
        WithStoreAsync(s => s.ImportAsync(json, string.IsNullOrWhiteSpace(definitionId) ? null : definitionId.Trim(), user.Identity?.Name));

    public Task<DefinitionVersionInfo> SaveDraftAsync(WorkflowDefinition definition, int? expectedRevision, ClaimsPrincipal user) =>
        WithStoreAsync(s => s.SaveDraftAsync(WorkflowDefinitionSerializer.Read(WorkflowDefinitionSerializer.Write(definition)), "studio", expectedRevision, user.Identity?.Name));

    public Task<DefinitionVersionInfo> PublishAsync(string definitionId, int version, string? note, ClaimsPrincipal user) =>
        WithStoreAsync(s => s.PublishAsync(definitionId, version, user.Identity?.Name, note));

    public Task<DefinitionVersionInfo> RollbackAsync(string definitionId, int version, ClaimsPrincipal user) =>
        WithStoreAsync(s => s.RollbackAsync(definitionId, version, user.Identity?.Name));

    /// <summary>Units, roles and leaders from the domain, for the assignee pickers.</summary>
    public async Task<(IReadOnlyList<PickerOption> Units, IReadOnlyList<PickerOption> Roles, IReadOnlyList<PickerOption> Leaders)> PickersAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
        var units = await db.HandlingUnits.AsNoTracking().OrderBy(u => u.Name).Select(u => new PickerOption(u.Id.ToString(), u.Name)).ToListAsync();
        var leaders = await db.Leaders.AsNoTracking().OrderBy(l => l.Name).Select(l => new PickerOption(l.Id.ToString(), l.Title == null ? l.Name : l.Name + " · " + l.Title)).ToListAsync();
        var roles = Identity.Roles.All.Select(r => new PickerOption(r.Name, $"{r.Chinese} ({r.Name})")).ToList();
        return (units, roles, leaders);
    }

    public static bool CanEdit(ClaimsPrincipal user) => Policies.AreaRoles[Policies.EditDefinitions].Any(user.IsInRole);

    private static void CheckId(string definitionId)
    {
        if (string.IsNullOrWhiteSpace(definitionId) || !System.Text.RegularExpressions.Regex.IsMatch(definitionId, "^[a-z0-9][a-z0-9-]{1,99}$"))
        {
            throw new WorkflowEngineException(EngineErrorKind.BadRequest, "the workflow id must be 2-100 lowercase letters, digits or '-' (e.g. \"suggestion-handling\")");
        }
    }
}
