using Hangfire;
using Liaison.Domain.Persistence;
using Liaison.Domain.Reporting;

namespace Liaison.Host.Dashboard;

/// <summary>
/// Keeps the KPI rollups (kpi_days, kpi_months) current: every minute it recomputes the months holding days marked since its
/// last run (the first run after the migration builds every month). Readers never wait for it: a day or month still marked is
/// read from the raw rows, so figures are exact and the rollups stale for at most a run's interval only as to their speed.
/// </summary>
public sealed partial class KpiRollupJob(LiaisonDbContext db, ILogger<KpiRollupJob> logger)
{
    public const string RecurringJobId = "kpi-rollups";

    public const string CronSetting = "Liaison:Reporting:RollupCron";

    /// <summary>One run at a time across the nodes: two runs would rewrite the same month at once.</summary>
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 30)]
    public async Task<int> RefreshAsync(CancellationToken cancellationToken)
    {
        var months = await KpiRollups.RefreshAsync(db, cancellationToken);
        if (months > 0)
        {
            LogRefreshed(logger, months);
        }

        return months;
    }

    public static void Schedule(IServiceProvider services, IConfiguration configuration) =>
        services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<KpiRollupJob>(
            RecurringJobId,
            job => job.RefreshAsync(CancellationToken.None),
            configuration[CronSetting] ?? Cron.Minutely());

    [LoggerMessage(Level = LogLevel.Information, Message = "KPI rollups: {Months} month(s) recomputed")]
    private static partial void LogRefreshed(ILogger logger, int months);
}
