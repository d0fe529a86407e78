using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace Liaison.Workflows.Durable;

/// <summary>
/// Another context that works in the same unit of work as the engine (the suggestion domain's), on the same
/// connection and transaction, so a step's command and the workflow's move commit together or not at all.
/// </summary>
public interface IUnitOfWorkParticipant
{
    DbContext Context { get; }

    /// <summary>A lost race of this context's own (a number taken twice at once) worth running the whole unit again for.</summary>
    bool IsTransient(Exception exception);

    /// <summary>Reads what the unit will need before it holds locks (e.g. the working-day calendar).</summary>
    Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// One database transaction per scope, shared by the engine's context and every participant, committed once.
/// Work that must follow the commit (scheduling jobs for the rows it made visible, waking the outbox pump)
/// is registered with <see cref="OnCommitted"/> and runs only after a successful commit; a rollback forgets it.
/// A unit started inside a running one joins it: the outermost owns the commit and the retries.
/// </summary>
public sealed partial class UnitOfWork(WorkflowsDbContext db, IEnumerable<IUnitOfWorkParticipant> participants, ILogger<UnitOfWork> logger)
{
    private const int MaxAttempts = 8;

    private readonly List<Action> _onCommitted = [];
    private readonly IUnitOfWorkParticipant[] _participants = participants.ToArray();
    private IDbContextTransaction? _transaction;

    public bool IsActive => _transaction is not null;

    /// <summary>Runs <paramref name="action"/> after the running unit commits; never when it rolls back.</summary>
    public void OnCommitted(Action action)
    {
        if (_transaction is null)
        {
            throw new InvalidOperationException("OnCommitted needs a running unit of work");
        }

        _onCommitted.Add(action);
    }

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
    {
        if (_transaction is not null)
        {
            return await work(cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunOnceAsync(work, cancellationToken);
            }
            catch (Exception ex) when (attempt < MaxAttempts && IsTransient(ex))
            {
                // Lost an optimistic race (the instance row, a counter): everything rolled back, so run it all again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), cancellationToken);
            }
        }
    }

    public Task RunAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken = default) =>
        RunAsync(
            async ct =>
            {
                await work(ct);
                return true;
            },
            cancellationToken);

    /// <summary>Whether a failure is a lost race that running the unit again can win.</summary>
    public bool IsTransient(Exception exception) =>
        EngineErrors.IsTransient(exception) || _participants.Any(p => p.IsTransient(exception));

    private async Task<T> RunOnceAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        foreach (var participant in _participants)
        {
            await participant.PrepareAsync(cancellationToken);
        }

        var contexts = _participants.Select(p => p.Context).Prepend(db).ToArray();

        // The first participant's connection carries the unit (it may set up its provider's connection itself).
        var owner = _participants.Length > 0 ? _participants[0].Context : db;
        var connection = owner.Database.GetDbConnection();
        foreach (var context in contexts.Where(c => !ReferenceEquals(c.Database.GetDbConnection(), connection)))
        {
            context.Database.SetDbConnection(connection, contextOwnsConnection: false);
        }

        await owner.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await owner.Database.BeginTransactionAsync(cancellationToken);
            foreach (var context in contexts.Where(c => !ReferenceEquals(c, owner)))
            {
                await context.Database.UseTransactionAsync(transaction.GetDbTransaction(), cancellationToken);
            }

            _transaction = transaction;
            try
            {
                var result = await work(cancellationToken);
                foreach (var context in contexts.Where(c => c.ChangeTracker.HasChanges()))
                {
                    await context.SaveChangesAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                _transaction = null;
                RunCommitted();
                return result;
            }
            catch
            {
                _transaction = null;
                _onCommitted.Clear();
                await RollBackQuietlyAsync(transaction);
                foreach (var context in contexts)
                {
                    context.ChangeTracker.Clear();
                }

                throw;
            }
            finally
            {
                foreach (var context in contexts.Where(c => !ReferenceEquals(c, owner)))
                {
                    await context.Database.UseTransactionAsync(null, CancellationToken.None);
                }
            }
        }
        finally
        {
            await owner.Database.CloseConnectionAsync();
        }
    }

    private void RunCommitted()
    {
        var callbacks = _onCommitted.ToArray();
        _onCommitted.Clear();
        foreach (var callback in callbacks)
        {
            try
            {
                callback();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The rows are committed; the sweeps and the periodic pump catch up with what this callback missed.
                LogCallbackFailed(logger, ex);
            }
        }
    }

    private async Task RollBackQuietlyAsync(IDbContextTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRollbackFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Work after a commit failed; the sweep or the periodic run will catch up")]
    private static partial void LogCallbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rolling back a failed unit of work failed too (the connection is gone; nothing was committed)")]
    private static partial void LogRollbackFailed(ILogger logger, Exception exception);
}

/// <summary>Provider error codes the engine treats as lost races.</summary>
public static class EngineErrors
{
    /// <summary>A lost race worth retrying the whole transaction for: the instance row's revision, a serialization failure or a deadlock.</summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        DbUpdateConcurrencyException => true,

        // Two saves of one instance numbered the same journal line: the instance row's revision check would
        // reject the later one anyway, but the journal's key may say so first.
        DbUpdateException { InnerException: Npgsql.PostgresException { SqlState: "23505", ConstraintName: "pk_wf_journal" } } => true,
        DbUpdateException { InnerException: Microsoft.Data.Sqlite.SqliteException { SqliteExtendedErrorCode: 1555 } sqlite } when sqlite.Message.Contains("wf_journal", StringComparison.Ordinal) => true,
        DbUpdateException { InnerException: Npgsql.PostgresException { SqlState: "40001" or "40P01" } } => true,
        Npgsql.PostgresException { SqlState: "40001" or "40P01" } => true,
        _ => false,
    };
}
