using Liaison.Domain.Persistence;
using Liaison.Workflows.Activities;
using Liaison.Workflows.Diagnostics;
using Liaison.Workflows.DueItems;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Runtime;
using Liaison.Workflows.Tasks;
using Liaison.Workflows.Time;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Liaison.Workflows.Durable;

public static class WorkflowsServiceCollectionExtensions
{
    /// <summary>The engine's DbContext for one provider, reachable as <see cref="WorkflowsDbContext"/>.</summary>
    public static IServiceCollection AddWorkflowsDbContext(this IServiceCollection services, DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.PostgreSql)
        {
            services.AddDbContext<PostgresWorkflowsDbContext>(o => o.Use(provider, connectionString, WorkflowsDbContext.MigrationsHistoryTable).AddInterceptors(RoundTripCounter.Interceptor));
            services.AddScoped<WorkflowsDbContext>(sp => sp.GetRequiredService<PostgresWorkflowsDbContext>());
        }
        else
        {
            services.AddDbContext<SqliteWorkflowsDbContext>(o => o.Use(provider, connectionString, WorkflowsDbContext.MigrationsHistoryTable).AddInterceptors(RoundTripCounter.Interceptor));
            services.AddScoped<WorkflowsDbContext>(sp => sp.GetRequiredService<SqliteWorkflowsDbContext>());
        }

        return services;
    }

    /// <summary>
    /// The engine's services. The WorkflowsDbContext is registered by the host for its provider; the
    /// activity registry can be extended with <paramref name="configureRegistry"/> (suggestion activities).
    /// </summary>
    public static IServiceCollection AddLiaisonWorkflows(this IServiceCollection services, Action<ActivityRegistry>? configureRegistry = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<WorkflowTelemetry>();
        services.TryAddSingleton<IWorkingCalendar, WeekendOnlyCalendar>();
        services.AddSingleton(_ =>
        {
            var registry = ActivityRegistry.CreateDefault();
            configureRegistry?.Invoke(registry);
            return registry;
        });
        services.AddSingleton(sp => new WorkflowRuntimeServices(
            sp.GetRequiredService<ActivityRegistry>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IWorkingCalendar>()));
        services.AddSingleton<WorkflowRunner>();
        services.AddSingleton<DefinitionCache>();
        services.TryAddSingleton<ITimerScheduler, SweepOnlyTimerScheduler>();
        services.TryAddSingleton<IOutboxSignal, PeriodicOnlyOutboxSignal>();
        services.TryAddSingleton<IDueItemScheduler, SweepOnlyDueItemScheduler>();
        services.TryAddSingleton(new DueItemOptions());
        services.AddScoped<DueItemRunner>();
        foreach (var kind in new[] { DueItemKinds.TaskAssigned, DueItemKinds.TaskReminder, DueItemKinds.TaskOverdue })
        {
            services.AddScoped<IDueItemHandler>(sp => ActivatorUtilities.CreateInstance<TaskDueItemHandler>(sp, kind));
        }

        services.AddScoped<DefinitionStore>();
        services.AddScoped<UnitOfWork>();
        services.AddScoped<BurstWriter>();
        services.AddScoped<WorkflowEngine>();
        services.AddSingleton<TaskSteps>();
        services.AddScoped<TaskCompletion>();
        services.AddScoped<WorkflowQueries>();
        services.AddScoped<InstanceMigration>();
        services.AddHttpClient(Activities.Http.HttpSender.ClientName);
        services.AddScoped<HttpWorkflows>();
        return services;
    }
}
