using Liaison.Workflows.Definitions;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Workflows.Durable;

/// <summary>Whether one waiting instance can move to a version, and if not, why.</summary>
public sealed record MigrationCandidate(Guid InstanceId, string? CorrelationKey, int FromVersion, IReadOnlyList<string> WaitingAt, bool CanMove, string? Reason);

public sealed record MigrationResult(Guid InstanceId, bool Moved, string? Reason);

/// <summary>
/// Moves waiting instances to another version of their workflow (Camunda's instance migration): only
/// instances that wait (no queued work) at activities the target version has with the same type, and
/// whose half-finished joins see the same connections. Each instance moves in its own transaction,
/// all or nothing, with a journal entry saying from which version and by whom.
/// </summary>
public sealed class InstanceMigration(WorkflowsDbContext db, DefinitionStore store, TimeProvider clock)
{
    public async Task<IReadOnlyList<MigrationCandidate>> PreviewAsync(string definitionId, int targetVersion, CancellationToken cancellationToken = default)
    {
        var (_, target) = await store.GetAsync(definitionId, targetVersion, cancellationToken);
        var rows = await db.Instances.AsNoTracking()
            .Where(i => i.DefinitionId == definitionId && i.Version != targetVersion && (i.Status == InstanceStatus.Suspended || i.Status == InstanceStatus.Running))
            .OrderBy(i => i.CreatedAt).ToListAsync(cancellationToken);
        var candidates = new List<MigrationCandidate>();
        foreach (var row in rows)
        {
            var state = WorkflowInstanceState.FromJson(row.StateJson);
            var source = await store.GetVersionAsync(row.DefinitionVersionId, cancellationToken);
            var reason = WhyNot(state, source, target);
            candidates.Add(new MigrationCandidate(row.Id, row.CorrelationKey, row.Version, state.Bookmarks.Select(b => b.ActivityId).Distinct().ToList(), reason is null, reason));
        }

        return candidates;
    }

    public async Task<IReadOnlyList<MigrationResult>> MoveAsync(string definitionId, int targetVersion, IReadOnlyCollection<Guid> instanceIds, string? actor, CancellationToken cancellationToken = default)
    {
        var targetRow = await db.Definitions.AsNoTracking().FirstOrDefaultAsync(d => d.DefinitionId == definitionId && d.Version == targetVersion, cancellationToken)
            ?? throw new WorkflowEngineException(EngineErrorKind.NotFound, $"workflow '{definitionId}' has no version {targetVersion}");
        if (targetRow.PublishedAt is null)
        {
            throw new WorkflowEngineException(EngineErrorKind.Conflict, $"v{targetVersion} was never published: instances only move to a published version");
        }

        var (_, target) = await store.GetAsync(definitionId, targetVersion, cancellationToken);
        var results = new List<MigrationResult>();
        foreach (var id in instanceIds)
        {
            db.ChangeTracker.Clear();
            var row = await db.Instances.FirstOrDefaultAsync(i => i.Id == id && i.DefinitionId == definitionId, cancellationToken);
            if (row is null)
            {
                results.Add(new MigrationResult(id, false, "not an instance of this workflow"));
                continue;
            }

            var state = WorkflowInstanceState.FromJson(row.StateJson);
            var reason = row.Version == targetVersion ? "already on that version"
                : row.Status is not (InstanceStatus.Suspended or InstanceStatus.Running) ? $"it is {row.Status.ToString().ToLowerInvariant()}"
                : WhyNot(state, await store.GetVersionAsync(row.DefinitionVersionId, cancellationToken), target);
            if (reason is not null)
            {
                results.Add(new MigrationResult(id, false, reason));
                continue;
            }

            var from = row.Version;
            state.Version = targetVersion;
            row.StateJson = state.ToJson();
            row.Version = targetVersion;
            row.DefinitionVersionId = targetRow.Id;
            row.UpdatedAt = clock.GetUtcNow();
            row.Revision++;
            db.Journal.Add(new JournalRecord
            {
                InstanceId = id,
                Id = row.NextJournalId(),
                Event = JournalEvent.Migrated,
                Outcome = $"v{from}→v{targetVersion}",
                Message = $"moved from v{from} to v{targetVersion} by {actor ?? "system"}",
                At = row.UpdatedAt,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken); // one instance, one transaction: its row and its journal line
                results.Add(new MigrationResult(id, true, null));
            }
            catch (DbUpdateException ex) when (EngineErrors.IsTransient(ex))
            {
                results.Add(new MigrationResult(id, false, "it moved on while being migrated; preview again"));
            }
        }

        db.ChangeTracker.Clear();
        return results;
    }

    /// <summary>Null when the instance can continue on <paramref name="target"/>; otherwise the reason it cannot.</summary>
    public static string? WhyNot(WorkflowInstanceState state, WorkflowDefinition source, WorkflowDefinition target)
    {
        if (state.Queue.Count > 0)
        {
            return "it is running, not waiting";
        }

        foreach (var bookmark in state.Bookmarks)
        {
            var now = target.FindActivity(bookmark.ActivityId);
            if (now is null)
            {
                return $"it waits at '{bookmark.ActivityId}', which the new version does not have";
            }

            var was = source.FindActivity(bookmark.ActivityId);
            if (was is not null && was.Type != now.Type)
            {
                return $"'{bookmark.ActivityId}' is a {now.Type} in the new version, not a {was.Type}";
            }
        }

        // A loop half-way through its items continues on the new version only as the same loop.
        foreach (var loop in state.Loops?.Values ?? Enumerable.Empty<LoopState>())
        {
            var now = target.FindActivity(loop.ActivityId);
            var was = source.FindActivity(loop.ActivityId);
            if (now is null || (was is not null && was.Type != now.Type))
            {
                return $"it is inside the loop '{loop.ActivityId}', which the new version does not have as a {was?.Type ?? "loop"}";
            }
        }

        // A half-finished join counts arrivals by connection index: those connections must be the same.
        foreach (var (joinId, join) in state.Joins)
        {
            foreach (var index in join.Received.Concat(join.Swallow))
            {
                var before = index < source.Root.Connections.Count ? source.Root.Connections[index].ToString() : null;
                var after = index < target.Root.Connections.Count ? target.Root.Connections[index].ToString() : null;
                if (before != after)
                {
                    return $"the join '{joinId}' is half-way and its connections changed";
                }
            }
        }

        return null;
    }
}
