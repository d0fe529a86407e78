using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Liaison.Host.Demo;

/// <summary>
/// The app's clock, which the demo seeder can turn back for its own asynchronous flow only: the demo city's
/// history is replayed through the real workflow at the times it would have happened, so deadlines, lights,
/// reminders and the audit trail are what months of real use produce. Every other caller, including requests
/// served at the same moment, reads the real clock.
/// </summary>
public sealed class ReplayableClock(TimeProvider real) : TimeProvider
{
    private readonly TimeProvider inner = real;

    private readonly AsyncLocal<Replay?> replay = new();

    public override DateTimeOffset GetUtcNow() => replay.Value?.Now ?? inner.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) => inner.CreateTimer(callback, state, dueTime, period);

    /// <summary>Turns the clock back to <paramref name="start"/> for the calling flow until the replay is disposed; it never passes the real now.</summary>
    public Replay Begin(DateTimeOffset start)
    {
        var begun = new Replay(this, start);
        replay.Value = begun;
        return begun;
    }

    /// <summary>Wraps the <see cref="TimeProvider"/> registered so far (the system clock, or a test's fake clock).</summary>
    public static void Decorate(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(TimeProvider)) ?? ServiceDescriptor.Singleton(TimeProvider.System);
        services.RemoveAll<TimeProvider>();
        services.AddSingleton(sp => new ReplayableClock(registered switch
        {
            { ImplementationInstance: TimeProvider instance } => instance,
            { ImplementationFactory: { } factory } => (TimeProvider)factory(sp),
            { ImplementationType: { } type } => (TimeProvider)ActivatorUtilities.CreateInstance(sp, type),
            _ => TimeProvider.System,
        }));
        services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<ReplayableClock>());
    }

    public sealed class Replay(ReplayableClock clock, DateTimeOffset start) : IDisposable
    {
        private DateTimeOffset now = Min(start, clock.inner.GetUtcNow());

        public DateTimeOffset Now => now;

        /// <summary>Moves the replayed time on, stopping a minute short of the real now.</summary>
        public void Advance(TimeSpan by) => now = Min(now + by, clock.inner.GetUtcNow().AddMinutes(-1));

        public void Dispose() => clock.replay.Value = null;

        private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
    }
}
