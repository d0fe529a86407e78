using System.Net.Sockets;
using Liaison.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Liaison.Host.Storage;

/// <summary>
/// Applies every pending EF Core migration of every Liaison DbContext. Runs on start and as the
/// `migrate` command. Failures to reach the database become one clear configuration error.
/// </summary>
public sealed partial class DatabaseMigrator(IServiceProvider services, StorageOptions storage, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var contexts = scope.ServiceProvider.GetServices<IMigratableContext>()
            .Select(m => m.Resolve(scope.ServiceProvider))
            .Prepend(scope.ServiceProvider.GetRequiredService<LiaisonDbContext>());

        foreach (var context in contexts)
        {
            try
            {
                // Asking for applied migrations on an empty database logs a failed query; check the history table first.
                var history = context.GetService<IHistoryRepository>();
                var pending = await history.ExistsAsync(cancellationToken)
                    ? (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList()
                    : context.Database.GetMigrations().ToList();
                if (pending.Count > 0)
                {
                    LogApplying(logger, context.GetType().Name, pending.Count, storage.Describe());
                    await context.Database.MigrateAsync(cancellationToken);
                }
            }
            catch (Exception ex) when (IsUnreachable(ex))
            {
                throw Unreachable(storage, ex);
            }
        }
    }

    /// <summary>Opens one connection to PostgreSQL; an unreachable server is the same configuration error as on migrating.</summary>
    public static void EnsureReachable(StorageOptions storage)
    {
        try
        {
            using var connection = new NpgsqlConnection(storage.ConnectionString);
            connection.Open();
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            throw Unreachable(storage, ex);
        }
    }

    private static StartupConfigurationException Unreachable(StorageOptions storage, Exception ex) =>
        new(StorageOptions.ConnectionStringSetting, $"cannot connect to {storage.Describe()}: {Innermost(ex).Message}", ex);

    private static bool IsUnreachable(Exception ex) =>
        ex is NpgsqlException or SocketException or TimeoutException
        || (ex is InvalidOperationException && ex.InnerException is not null && IsUnreachable(ex.InnerException))
        || ex is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 14 }; // SQLITE_CANTOPEN

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} migration(s) of {Context} to {Database}")]
    private static partial void LogApplying(ILogger logger, string context, int count, string database);
}

/// <summary>Lets other parts (the workflow engine) add their own DbContext to the start-up migration.</summary>
public interface IMigratableContext
{
    DbContext Resolve(IServiceProvider scopedServices);
}

public sealed class MigratableContext<TContext> : IMigratableContext
    where TContext : DbContext
{
    public DbContext Resolve(IServiceProvider scopedServices) => scopedServices.GetRequiredService<TContext>();
}
