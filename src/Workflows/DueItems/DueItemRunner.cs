using Liaison.Workflows.Diagnostics;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Liaison.Workflows.DueItems;

/// <summary>
/// Fires due items exactly once. Firing claims the row with a conditional update (fired_at from null) in
/// a transaction that also holds what the handler staged, so a second node, a retried job or the sweep
/// finds it fired and does nothing; a handler that throws rolls the claim back and the item stays due.
/// </summary>
public sealed partial class DueItemRunner(
    WorkflowsDbContext db,
    UnitOfWork unit,
    IEnumerable<IDueItemHandler> handlers,
    TimeProvider clock,
    IDueItemScheduler scheduler,
    IOutboxSignal outbox,
    WorkflowTelemetry telemetry,
    ILogger<DueItemRunner> logger)
{
    /// <summary>After this many failed firings the item is stamped failed instead of being retried for ever.</summary>
    public const int MaxAttempts = 10;

    /// <summary>Fires one item if it is due and not fired yet (its handler's work commits with the claim); false when there was nothing to do.</summary>
    public async Task<bool> FireAsync(Guid dueItemId, CancellationToken cancellationToken = default)
    {
        using var observation = telemetry.Observe("due_item");
        DueItemRecord? item = null;
        try
        {
            return await unit.RunAsync(
                async ct =>
                {
                    var now = clock.GetUtcNow();
                    item = null;
                    var claimed = await db.DueItems.Where(d => d.Id == dueItemId && d.FiredAt == null && d.DueAt <= now)
                        .ExecuteUpdateAsync(s => s.SetProperty(d => d.FiredAt, now), ct);
                    if (claimed == 0)
                    {
                        return false;
                    }

                    item = await db.DueItems.AsNoTracking().FirstAsync(d => d.Id == dueItemId, ct);
                    var handler = handlers.FirstOrDefault(h => h.Kind == item.Kind)
                        ?? throw new InvalidOperationException($"no handler for due items of kind '{item.Kind}'");
                    var outcome = await handler.FireAsync(new DueItemFiring(item, db, unit, scheduler, outbox, now), ct);
                    await db.SaveChangesAsync(ct);
                    await db.DueItems.Where(d => d.Id == dueItemId)
                        .ExecuteUpdateAsync(s => s.SetProperty(d => d.Outcome, Truncate(outcome, 200)).SetProperty(d => d.Attempts, d => d.Attempts + 1).SetProperty(d => d.LastError, (string?)null), ct);
                    LogFired(logger, item.Key, item.DueAt, now - item.DueAt, outcome);
                    telemetry.DueItemLag.Record((now - item.DueAt).TotalSeconds, new KeyValuePair<string, object?>("liaison.kind", item.Kind));
                    return true;
                },
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && item is not null && !unit.IsTransient(ex))
        {
            observation.Failed(ex);
            await RecordFailureAsync(item, clock.GetUtcNow(), ex);
            throw;
        }
    }

    /// <summary>
    /// Fires up to <paramref name="max"/> items that are due now, picked in random order so that several
    /// workers draining a burst at once rarely reach for the same row (a row another worker holds is simply
    /// skipped by its claim). Lets the first jobs of a burst fire the whole burst at the database's pace
    /// instead of one background job each. Returns how many this call fired.
    /// </summary>
    public Task<int> DrainDueAsync(int max = 200, CancellationToken cancellationToken = default) =>
        FireDueAsync(max, oldestFirst: false, cancellationToken);

    /// <summary>Fires every item that is due and has not fired (after a restart, a lost job, a dead node). Returns how many fired.</summary>
    public Task<int> SweepAsync(int batchSize = 1000, CancellationToken cancellationToken = default) =>
        FireDueAsync(batchSize, oldestFirst: true, cancellationToken);

    private async Task<int> FireDueAsync(int max, bool oldestFirst, CancellationToken cancellationToken)
    {
        var fired = 0;
        while (fired < max)
        {
            var now = clock.GetUtcNow();
            var pending = db.DueItems.AsNoTracking().Where(d => d.FiredAt == null && d.DueAt <= now);
            var due = await (oldestFirst ? pending.OrderBy(d => d.DueAt) : pending.OrderBy(d => EF.Functions.Random()))
                .Select(d => d.Id).Take(Math.Min(100, max - fired)).ToListAsync(cancellationToken);
            var claimedAny = false;
            foreach (var id in due)
            {
                try
                {
                    if (await FireAsync(id, cancellationToken))
                    {
                        fired++;
                        claimedAny = true;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Recorded on the row by FireOnceAsync; one broken item must not stop the others.
                    LogSweepFailed(logger, id, ex);
                }
            }

            // Nothing left, or only rows others hold or that keep failing: their own jobs and the next sweep see to them.
            if (!claimedAny)
            {
                return fired;
            }
        }

        return fired;
    }

    /// <summary>Items not fired yet, to give each its job again when the job store was lost (embedded, in memory).</summary>
    public async Task<IReadOnlyList<(Guid Id, DateTimeOffset DueAt)>> PendingAsync(CancellationToken cancellationToken = default)
    {
        var rows = await db.DueItems.AsNoTracking().Where(d => d.FiredAt == null).OrderBy(d => d.DueAt)
            .Select(d => new { d.Id, d.DueAt }).ToListAsync(cancellationToken);
        return rows.Select(r => (r.Id, r.DueAt)).ToList();
    }

    /// <summary>When an item is due, or null when it has fired or does not exist.</summary>
    public async Task<DateTimeOffset?> PendingDueAtAsync(Guid dueItemId, CancellationToken cancellationToken = default) =>
        await db.DueItems.AsNoTracking().Where(d => d.Id == dueItemId && d.FiredAt == null).Select(d => (DateTimeOffset?)d.DueAt).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Plans an item unless its key exists (start-up of several nodes at once: the unique key keeps one).</summary>
    public async Task<bool> EnsurePlannedAsync(DueItemRecord item, CancellationToken cancellationToken = default)
    {
        if (await db.DueItems.AnyAsync(d => d.Key == item.Key, cancellationToken))
        {
            return false;
        }

        db.DueItems.Add(item);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        scheduler.Schedule(item.Id, item.DueAt);
        return true;
    }

    // Outside the rolled-back transaction: the attempt count survives, and after MaxAttempts the item is
    // stamped failed (visible on the row and in the log) rather than retried every minute for ever.
    private async Task RecordFailureAsync(DueItemRecord item, DateTimeOffset now, Exception ex)
    {
        var giveUp = item.Attempts + 1 >= MaxAttempts;
        var error = Truncate(ex.Message, 2000);
        await db.DueItems.Where(d => d.Id == item.Id && d.FiredAt == null).ExecuteUpdateAsync(
            s => s.SetProperty(d => d.Attempts, d => d.Attempts + 1)
                .SetProperty(d => d.LastError, error)
                .SetProperty(d => d.FiredAt, d => giveUp ? now : d.FiredAt)
                .SetProperty(d => d.Outcome, d => giveUp ? "failed" : d.Outcome),
            CancellationToken.None);
        LogFailed(logger, item.Key, item.Attempts + 1, ex);
    }

    private static string? Truncate(string? text, int max) => text is null || text.Length <= max ? text : text[..max];

    [LoggerMessage(Level = LogLevel.Debug, Message = "Due item {Key} (due {DueAt}) fired {Lag} late: {Outcome}")]
    private static partial void LogFired(ILogger logger, string key, DateTimeOffset dueAt, TimeSpan lag, string outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Due item {Key} failed (attempt {Attempt}); it stays due until it fires or is stamped failed")]
    private static partial void LogFailed(ILogger logger, string key, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Due item {Id} could not be fired by the sweep")]
    private static partial void LogSweepFailed(ILogger logger, Guid id, Exception exception);

}
