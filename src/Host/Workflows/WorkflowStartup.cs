using Hangfire;
using Liaison.Domain.Persistence;
using Liaison.Host.DueItems;
using Liaison.Host.Storage;
using Liaison.Workflows.DueItems;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Suggestions;

namespace Liaison.Host.Workflows;

/// <summary>Start-up work of the engine: the shipped definitions, the sweep, and timers of a lost job store.</summary>
public static partial class WorkflowStartup
{
    public const string DirectorySetting = "Liaison:Workflows:Directory";
    public const string SweepCronSetting = "Liaison:Workflows:SweepCron";

    public static async Task RunAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WorkflowStartup));

        var directory = ResolveDirectory(app);
        var outcomes = await services.GetRequiredService<DefinitionStore>().LoadDirectoryAsync(directory, cancellationToken);
        foreach (var outcome in outcomes.Where(o => o.Outcome != "unchanged" && !o.Outcome.StartsWith("kept", StringComparison.Ordinal)))
        {
            LogLoaded(logger, outcome.File, outcome.DefinitionId, outcome.Version, outcome.Outcome);
        }

        var recurring = services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<WorkflowTimerJob>(
            WorkflowTimerJob.SweepJobId,
            job => job.SweepAsync(CancellationToken.None),
            app.Configuration[SweepCronSetting] ?? Cron.Minutely());
        recurring.AddOrUpdate<DueItemJob>(
            DueItemJob.SweepJobId,
            job => job.SweepAsync(CancellationToken.None),
            app.Configuration[SweepCronSetting] ?? Cron.Minutely());
        Notifications.NotificationSetup.AddNotificationDispatch(services, app.Configuration);
        Dashboard.KpiRollupJob.Schedule(services, app.Configuration);
        var dueItems = services.GetRequiredService<DueItemRunner>();
        await SuggestionDigests.EnsurePlannedAsync(dueItems, services.GetRequiredService<LiaisonDbContext>(), services.GetRequiredService<TimeProvider>(), cancellationToken);

        // The embedded job store is in memory: after a restart, give every pending timer and due item its job again.
        if (services.GetRequiredService<StorageOptions>().Provider == DatabaseProvider.Sqlite)
        {
            var scheduler = services.GetRequiredService<ITimerScheduler>();
            foreach (var (id, dueAt) in await services.GetRequiredService<WorkflowEngine>().PendingTimersAsync(cancellationToken))
            {
                scheduler.Schedule(id, dueAt);
            }

            var dueItemScheduler = services.GetRequiredService<IDueItemScheduler>();
            foreach (var (id, dueAt) in await dueItems.PendingAsync(cancellationToken))
            {
                dueItemScheduler.Schedule(id, dueAt);
            }
        }
    }

    /// <summary>The workflows-json folder: the setting, else the copy next to the binaries, else the repository's.</summary>
    public static string ResolveDirectory(WebApplication app)
    {
        var configured = app.Configuration[DirectorySetting];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured, app.Environment.ContentRootPath);
        }

        var shipped = Path.Combine(AppContext.BaseDirectory, "workflows-json");
        return Directory.Exists(shipped) ? shipped : Path.GetFullPath(Path.Combine(app.Environment.ContentRootPath, "..", "..", "workflows-json"));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow file {File}: {DefinitionId} v{Version} {Outcome}")]
    private static partial void LogLoaded(ILogger logger, string file, string? definitionId, int? version, string outcome);
}
