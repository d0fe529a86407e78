using System.Diagnostics;
using System.Diagnostics.Metrics;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Workflows.Diagnostics;

/// <summary>
/// The engine's traces and metrics, in System.Diagnostics terms only: a host that wants them exports the
/// <see cref="Name"/> source and meter (the Host does with OpenTelemetry); without a listener every
/// instrument is a no-op and nothing is counted.
/// </summary>
public sealed class WorkflowTelemetry : IDisposable
{
    /// <summary>The ActivitySource and Meter name.</summary>
    public const string Name = "Liaison.Workflows";

    /// <summary>Spans of the engine's operations (start, resume, complete task, fire timer or due item).</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;

    public WorkflowTelemetry(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider clock)
    {
        _meter = meters.Create(Name);
        TaskCompletion = _meter.CreateHistogram<double>(
            "liaison.task.completion.duration", "s", "Time to complete a human task: claim, the step's command, the workflow's resume and the commit");
        DueItemLag = _meter.CreateHistogram<double>(
            "liaison.due_item.lag", "s", "How late a due item or timer fired: the time it fired minus the time it was due");
        DbRoundTrips = _meter.CreateHistogram<long>(
            "liaison.db.round_trips", "{round_trip}", "Database commands and commits of one engine operation or HTTP request");
        var depth = new QueueDepth(scopes, clock);
        _meter.CreateObservableGauge("liaison.due_items.waiting", () => depth.Read().DueItems, "{item}", "Due items (reminders, timers) whose time has come and that have not fired");
        _meter.CreateObservableGauge("liaison.outbox.waiting", () => depth.Read().Outbox, "{message}", "Outbox messages not dispatched yet");
    }

    public Histogram<double> TaskCompletion { get; }

    public Histogram<double> DueItemLag { get; }

    public Histogram<long> DbRoundTrips { get; }

    /// <summary>
    /// Starts observing one operation: a span, and when round trips are listened to, a count of the
    /// database commands it sends. Dispose it when the operation ends.
    /// </summary>
    public Observation Observe(string operation, string? kind = null)
    {
        var activity = ActivitySource.StartActivity("workflow." + operation);
        if (activity is not null && kind is not null)
        {
            activity.SetTag("liaison.kind", kind);
        }

        return new Observation(this, operation, activity, DbRoundTrips.Enabled ? RoundTripCounter.Begin() : null);
    }

    public void Dispose() => _meter.Dispose();

    /// <summary>One observed operation; <see cref="Failed"/> marks it as ended by an error.</summary>
    public sealed class Observation(WorkflowTelemetry owner, string operation, Activity? activity, RoundTripCounter.Scope? counting) : IDisposable
    {
        public Activity? Activity => activity;

        public void Failed(Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            activity?.SetTag("error.type", exception.GetType().Name);
        }

        public void Dispose()
        {
            if (counting is not null)
            {
                var count = counting.Count;
                counting.Dispose();
                owner.DbRoundTrips.Record(count, new KeyValuePair<string, object?>("liaison.operation", operation));
                activity?.SetTag("liaison.db.round_trips", count);
            }

            activity?.Dispose();
        }
    }

    /// <summary>Counts read when an exporter collects, at most once a second, with their own short-lived scope.</summary>
    private sealed class QueueDepth(IServiceScopeFactory scopes, TimeProvider clock)
    {
        private readonly Lock _lock = new();
        private (long DueItems, long Outbox) _last;
        private DateTimeOffset _readAt = DateTimeOffset.MinValue;

        public (long DueItems, long Outbox) Read()
        {
            lock (_lock)
            {
                var now = clock.GetUtcNow();
                if (now - _readAt < TimeSpan.FromSeconds(1))
                {
                    return _last;
                }

                try
                {
                    using var scope = scopes.CreateScope();
                    var db = scope.ServiceProvider.GetRequiredService<WorkflowsDbContext>();
                    _last = (
                        db.DueItems.AsNoTracking().LongCount(d => d.FiredAt == null && d.DueAt <= now),
                        db.Outbox.AsNoTracking().LongCount(o => o.DispatchedAt == null));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The database is away: report the last known depth rather than failing the whole export.
                }

                _readAt = now;
                return _last;
            }
        }
    }
}
