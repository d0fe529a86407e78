using Liaison.Domain.Persistence;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the domain DbContext for the configured provider, reachable as <see cref="LiaisonDbContext"/>.</summary>
    public static IServiceCollection AddLiaisonStorage(this IServiceCollection services, StorageOptions storage)
    {
        services.AddSingleton(storage);
        switch (storage.Provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddDbContext<SqliteLiaisonDbContext>(o => o.Use(storage.Provider, storage.ConnectionString, LiaisonDbContext.MigrationsHistoryTable));
                services.AddScoped<LiaisonDbContext>(sp => sp.GetRequiredService<SqliteLiaisonDbContext>());
                services.AddDbContext<SqliteWorkflowsDbContext>(o => o.Use(storage.Provider, storage.ConnectionString, WorkflowsDbContext.MigrationsHistoryTable));
                services.AddScoped<WorkflowsDbContext>(sp => sp.GetRequiredService<SqliteWorkflowsDbContext>());
                break;
            case DatabaseProvider.PostgreSql:
                services.AddDbContext<PostgresLiaisonDbContext>(o => o.Use(storage.Provider, storage.ConnectionString, LiaisonDbContext.MigrationsHistoryTable));
                services.AddScoped<LiaisonDbContext>(sp => sp.GetRequiredService<PostgresLiaisonDbContext>());
                services.AddDbContext<PostgresWorkflowsDbContext>(o => o.Use(storage.Provider, storage.ConnectionString, WorkflowsDbContext.MigrationsHistoryTable));
                services.AddScoped<WorkflowsDbContext>(sp => sp.GetRequiredService<PostgresWorkflowsDbContext>());
                break;
            default:
                throw new StartupConfigurationException(StorageOptions.ProviderSetting, $"unsupported provider {storage.Provider}.");
        }

        services.AddSingleton<IMigratableContext, MigratableContext<WorkflowsDbContext>>();
        services.AddSingleton<DatabaseMigrator>();
        return services;
    }
}
