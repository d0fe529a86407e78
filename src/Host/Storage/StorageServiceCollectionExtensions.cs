using Liaison.Domain.Persistence;
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
                services.AddDbContext<SqliteLiaisonDbContext>(o => o.UseSqlite(storage.ConnectionString));
                services.AddScoped<LiaisonDbContext>(sp => sp.GetRequiredService<SqliteLiaisonDbContext>());
                break;
            case DatabaseProvider.PostgreSql:
                services.AddDbContext<PostgresLiaisonDbContext>(o => o.UseNpgsql(storage.ConnectionString));
                services.AddScoped<LiaisonDbContext>(sp => sp.GetRequiredService<PostgresLiaisonDbContext>());
                break;
            default:
                throw new StartupConfigurationException(StorageOptions.ProviderSetting, $"unsupported provider {storage.Provider}.");
        }

        services.AddSingleton<DatabaseMigrator>();
        return services;
    }
}
