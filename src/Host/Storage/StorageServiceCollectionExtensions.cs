using Liaison.Domain.Persistence;
using Liaison.Host.Notifications;
using Liaison.Workflows.Diagnostics;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the domain's, the engine's and messaging's DbContexts for the configured provider, and the migrator.</summary>
    public static IServiceCollection AddLiaisonStorage(this IServiceCollection services, StorageOptions storage)
    {
        services.AddSingleton(storage);
        services.AddLiaisonDbContext(storage.Provider, storage.ConnectionString);

        // The domain's commands count towards a request's round trips as the engine's do.
        if (storage.Provider == DatabaseProvider.PostgreSql)
        {
            services.ConfigureDbContext<PostgresLiaisonDbContext>(o => o.AddInterceptors(RoundTripCounter.Interceptor));
        }
        else
        {
            services.ConfigureDbContext<SqliteLiaisonDbContext>(o => o.AddInterceptors(RoundTripCounter.Interceptor));
        }

        services.AddWorkflowsDbContext(storage.Provider, storage.ConnectionString);
        services.AddSingleton<IMigratableContext, MigratableContext<WorkflowsDbContext>>();

        // After the engine's: messaging's first migration adopts the tables the engine's last one handed over.
        services.AddLiaisonMessaging(storage.Provider, storage.ConnectionString);
        services.AddSingleton<DatabaseMigrator>();
        return services;
    }
}
