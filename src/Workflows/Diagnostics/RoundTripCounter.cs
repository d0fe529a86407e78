using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Liaison.Workflows.Diagnostics;

/// <summary>
/// Counts database round trips (commands and commits) of the operations running in the current async flow.
/// Scopes nest: an HTTP request's count includes the engine operation it ran. With no scope open, the
/// interceptor does nothing but read one AsyncLocal.
/// </summary>
public sealed class RoundTripCounter : DbCommandInterceptor, IDbTransactionInterceptor
{
    private static readonly AsyncLocal<Scope?> CurrentScope = new();

    private RoundTripCounter()
    {
    }

    /// <summary>The interceptor to add to every DbContext whose commands count (it holds no state of its own).</summary>
    public static RoundTripCounter Interceptor { get; } = new();

    /// <summary>The open scope of this flow, if any.</summary>
    public static Scope? Current => CurrentScope.Value;

    /// <summary>Opens a scope in the caller's flow; dispose it in the same flow.</summary>
    public static Scope Begin()
    {
        var scope = new Scope(CurrentScope.Value);
        CurrentScope.Value = scope;
        return scope;
    }

    private static void Count()
    {
        for (var scope = CurrentScope.Value; scope is not null; scope = scope.Parent)
        {
            scope.Add();
        }
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Count();
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Count();
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Count();
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Count();
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Count();
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Count();
        return ValueTask.FromResult(result);
    }

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        Count();
        return result;
    }

    public ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        Count();
        return ValueTask.FromResult(result);
    }

    /// <summary>One counted operation.</summary>
    public sealed class Scope : IDisposable
    {
        private int _count;
        private bool _disposed;

        internal Scope(Scope? parent) => Parent = parent;

        internal Scope? Parent { get; }

        public int Count => Volatile.Read(ref _count);

        internal void Add() => Interlocked.Increment(ref _count);

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                CurrentScope.Value = Parent;
            }
        }
    }
}
