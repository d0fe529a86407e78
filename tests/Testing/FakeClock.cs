using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Liaison.Testing;

/// <summary>The fake clock that replaces TimeProvider.System in the Host, so tests run weeks of deadlines in milliseconds.</summary>
public static class FakeClock
{
    /// <summary>A Monday morning in Beijing, so that working-day arithmetic starts on a plain week.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    public static FakeTimeProvider Create(DateTimeOffset? start = null) => new(start ?? DefaultStart);

    public static IServiceCollection UseFakeClock(this IServiceCollection services, FakeTimeProvider clock)
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(clock);
        return services;
    }
}
