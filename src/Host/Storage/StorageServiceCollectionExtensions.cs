using Liaison.Domain.Persistence;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;

namespace Liaison.Host.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers the domain's and the engine's DbContexts for the configured provider, and the migrator.</summary>
    public static IServiceCollection AddLiaisonStorage(this IServiceCollection services, StorageOptions storage)
    {
        services.AddSingleton(storage);
        services.AddLiaisonDbContext(storage.Provider, storage.ConnectionString);
        services.AddWorkflowsDbContext(storage.Provider, storage.ConnectionString);
        services.AddSingleton<IMigratableContext, MigratableContext<WorkflowsDbContext>>();
        services.AddSingleton<DatabaseMigrator>();
        return services;
    }
}
