using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Liaison.Host.Health;

/// <summary>Healthy when Hangfire's storage answers and at least one server has sent a heartbeat lately.</summary>
public sealed class HangfireHealthCheck(JobStorage storage, TimeProvider clock) : IHealthCheck
{
    private static readonly TimeSpan HeartbeatTolerance = TimeSpan.FromMinutes(2);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var servers = storage.GetMonitoringApi().Servers();
            var now = clock.GetUtcNow().UtcDateTime;
            var alive = servers.Count(s => s.Heartbeat is { } beat && now - beat < HeartbeatTolerance);
            var data = new Dictionary<string, object> { ["servers"] = servers.Count, ["alive"] = alive };
            return Task.FromResult(alive > 0
                ? HealthCheckResult.Healthy($"{alive} Hangfire server(s) alive", data)
                : HealthCheckResult.Degraded("no Hangfire server has sent a heartbeat in the last two minutes", data: data));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Hangfire storage does not answer", ex));
        }
    }
}
