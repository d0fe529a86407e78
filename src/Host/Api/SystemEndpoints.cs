using Liaison.Domain.Persistence;
using Liaison.Domain.Settings;
using Liaison.Host.Storage;

namespace Liaison.Host.Api;

public static class SystemEndpoints
{
    public static void MapSystemEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/system").WithTags("System").RequireAuthorization();
        group.MapGet("/info", GetInfoAsync)
            .WithName("GetSystemInfo")
            .WithSummary("What this Liaison installation runs on.");
    }

    internal static async Task<SystemInfo> GetInfoAsync(LiaisonDbContext db, StorageOptions storage, CancellationToken cancellationToken)
    {
        var facts = await SystemSettings.ReadAsync(db, cancellationToken);
        return new SystemInfo(
            typeof(SystemEndpoints).Assembly.GetName().Version?.ToString() ?? "0.0.0",
            storage.Provider.ToString(),
            storage.Describe(),
            facts?.InstalledAt,
            facts?.StartCount ?? 0);
    }
}

public sealed record SystemInfo(string Version, string DatabaseProvider, string Database, DateTimeOffset? InstalledAt, long StartCount);
