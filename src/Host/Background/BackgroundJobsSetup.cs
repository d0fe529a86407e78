using Hangfire;
using Hangfire.Dashboard;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Host.Storage;

namespace Liaison.Host.Background;

/// <summary>Hangfire knobs, bound from "Liaison:Hangfire".</summary>
public sealed class BackgroundJobOptions
{
    /// <summary>How often delayed jobs are moved to the queue. Hangfire's 15 s default makes reminders late.</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Zero means Hangfire's default (processors × 5, at most 20).</summary>
    public int WorkerCount { get; set; }

    /// <summary>Tests that host several apps on one machine may switch the server off.</summary>
    public bool RunServer { get; set; } = true;

    public string ServerName { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";
}

public static class BackgroundJobsSetup
{
    public const string Section = "Liaison:Hangfire";

    /// <summary>
    /// PostgreSQL in production (jobs shared by every node). Embedded: Hangfire's in-memory storage,
    /// because every due time lives first as a durable row in Liaison's own database and the recurring
    /// sweep re-enqueues it after a restart; the in-memory store only holds what is in flight.
    /// </summary>
    public static IServiceCollection AddLiaisonBackgroundJobs(this IServiceCollection services, IConfiguration configuration, StorageOptions storage)
    {
        var options = configuration.GetSection(Section).Get<BackgroundJobOptions>() ?? new BackgroundJobOptions();
        services.AddSingleton(options);

        // The storage is built here and registered in DI, never through JobStorage.Current: several Liaison
        // apps in one process (tests, in-process servers) must each keep their own job store.
        services.AddSingleton<JobStorage>(_ => storage.Provider == DatabaseProvider.PostgreSql
            ? CreatePostgreSqlStorage(storage, options)
            : new InMemoryStorage(new InMemoryStorageOptions { IdType = InMemoryStorageIdType.Long }));
        services.AddHangfire((sp, config) => config
            .UseLogProvider(new SurvivingLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());

        if (options.RunServer)
        {
            services.AddHangfireServer((sp, server) =>
            {
                server.ServerName = options.ServerName;
                server.SchedulePollingInterval = options.SchedulePollingInterval;
                if (options.WorkerCount > 0)
                {
                    server.WorkerCount = options.WorkerCount;
                }

                server.TimeZoneResolver = new DefaultTimeZoneResolver();

                // JobActivator.Current is process-global: with several apps in one process a job could
                // be resolved from another app's services. Each server activates jobs from its own.
                server.Activator = new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>());
            });
        }

        return services;
    }

    private static PostgreSqlStorage CreatePostgreSqlStorage(StorageOptions storage, BackgroundJobOptions options)
    {
        // Hangfire's storage retries setting up its schema for about half a minute when the server cannot be reached;
        // whoever started Liaison hears at once, in the migrator's words, that the connection string is at fault.
        DatabaseMigrator.EnsureReachable(storage);
        var connectionString = storage.ConnectionString;
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = options.QueuePollInterval,
            InvisibilityTimeout = TimeSpan.FromMinutes(30),
            DistributedLockTimeout = TimeSpan.FromMinutes(1),
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions);
    }

    public static void MapLiaisonHangfireDashboard(this WebApplication app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            DashboardTitle = "Liaison · Hangfire",
            // The endpoint policy decides (sign-in page or 403); the filter repeats it in case the dashboard is ever mapped differently.
            Authorization = [new AdminDashboardFilter()],
            DisplayStorageConnectionString = false,
            AppPath = "/",
        }).RequireAuthorization(Policies.Admin);
    }
}

/// <summary>Only Admins see the dashboard: it shows job arguments and can delete or re-run jobs.</summary>
internal sealed class AdminDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
}
