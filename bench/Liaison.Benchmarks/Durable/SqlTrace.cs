using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Liaison.Benchmarks.Durable;

/// <summary>
/// Records the statements EF Core sends (and the commit) while a trace is active on the current async
/// flow, so the harness can list the database round trips of one operation. Costs one AsyncLocal read
/// per command when no trace is active.
/// </summary>
public sealed class SqlTrace
{
    private readonly AsyncLocal<List<string>?> current = new();

    public Interceptor CommandInterceptor => new(this);

    public TransactionInterceptor CommitInterceptor => new(this);

    /// <summary>Runs <paramref name="operation"/> and returns what it sent, one entry per round trip.</summary>
    public async Task<IReadOnlyList<string>> CaptureAsync(Func<Task> operation)
    {
        var captured = new List<string>();
        current.Value = captured;
        try
        {
            await operation();
        }
        finally
        {
            current.Value = null;
        }

        return captured;
    }

    private void Record(string text) => current.Value?.Add(text);

    public sealed class Interceptor(SqlTrace trace) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            trace.Record(command.CommandText);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            trace.Record(command.CommandText);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            trace.Record(command.CommandText);
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    public sealed class TransactionInterceptor(SqlTrace trace) : DbTransactionInterceptor
    {
        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            trace.Record("COMMIT");
            return base.TransactionCommittingAsync(transaction, eventData, result, cancellationToken);
        }
    }
}
