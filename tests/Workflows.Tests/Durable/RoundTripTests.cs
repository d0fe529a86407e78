using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Liaison.Domain.Persistence;
using Liaison.Testing;
using Liaison.Workflows.Diagnostics;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Microsoft.Extensions.DependencyInjection;
using static Liaison.Testing.Flowcharts;

namespace Liaison.Workflows.Tests.Durable;

/// <summary>What one durable operation costs in database round trips, as the engine's own meter reports it.</summary>
public sealed class RoundTripTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_resume_is_one_claim_with_its_load_one_write_batch_and_the_commit(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "trips");
        await using var host = await EngineHost.StartAsync(database);
        await host.PublishAsync(WaitForEvent("trips", "Go"));
        using var recorded = new RoundTrips(host.Services);

        var first = await host.EngineAsync(e => e.StartAsync("trips"));
        var second = await host.EngineAsync(e => e.StartAsync("trips"));
        await host.EngineAsync(e => e.ResumeAsync(Assert.Single(second.Bookmarks).Id, new JsonObject { ["n"] = 1 }));

        var started = (await host.QueriesAsync(q => q.JournalAsync(first.Instance.Id))).Count;
        var journal = await host.QueriesAsync(q => q.JournalAsync(second.Instance.Id));
        if (provider == DatabaseProvider.PostgreSql)
        {
            // Start: which version is published (its id only; the definition is cached), the insert batch, the commit.
            Assert.Equal([3, 3], recorded.Of("start"));

            // Resume: claim + load in one statement, the batch (instance update with its revision + journal lines), the commit.
            Assert.Equal([3], recorded.Of("resume"));
        }
        else
        {
            // SQLite runs one statement per command (in process, no network): the same statements, each journal line its own.
            Assert.Equal([4 + started, 4 + started], recorded.Of("start"));
            Assert.Equal([3 + (journal.Count - started)], recorded.Of("resume"));
        }

        // Journal lines are numbered per instance, 1, 2, 3, … across bursts, and read back in that order.
        Assert.Equal(Enumerable.Range(1, journal.Count).Select(i => (long)i), journal.Select(j => j.Id));
        Assert.True(journal.Count > started, "the resume wrote lines after the start's");
        Assert.Equal(JournalEvent.Resumed, journal[started].Event);
        Assert.Equal("after", journal.Last(j => j.Event == JournalEvent.Output).Message);
        Assert.NotEqual(first.Instance.Id, second.Instance.Id);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_new_published_version_is_started_at_once_although_the_previous_one_is_cached(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "repub");
        await using var host = await EngineHost.StartAsync(database);
        await host.PublishAsync(WaitForEvent("repub", "Go"));
        Assert.Equal(1, (await host.EngineAsync(e => e.StartAsync("repub"))).Instance.Version);
        Assert.Equal(1, (await host.EngineAsync(e => e.StartAsync("repub"))).Instance.Version);

        // Published through another context (as another node would), so this node's cache is not told.
        await using (var other = await EngineHost.StartAsync(database))
        {
            await other.PublishAsync(WaitForEvent("repub", "Go", after: "after v2"));
        }

        var started = await host.EngineAsync(e => e.StartAsync("repub"));
        Assert.Equal(2, started.Instance.Version);
        var resumed = await host.EngineAsync(e => e.ResumeAsync(Assert.Single(started.Bookmarks).Id));
        Assert.Equal(["after v2"], resumed.Lines);

        await host.StoreAsync(s => s.RetractAsync("repub"));
        var refused = await Assert.ThrowsAsync<WorkflowEngineException>(() => host.EngineAsync(e => e.StartAsync("repub")));
        Assert.Equal(EngineErrorKind.Conflict, refused.Kind);
    }

    /// <summary>The round trips this host's engine records, by operation.</summary>
    private sealed class RoundTrips : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Operation, long Count)> _recorded = [];

        public RoundTrips(IServiceProvider services)
        {
            // Only this host's meter: other tests run engines in the same process.
            var meters = services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == WorkflowTelemetry.Name && ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name == "liaison.db.round_trips")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "liaison.operation")
                    {
                        lock (_recorded)
                        {
                            _recorded.Add(((string)tag.Value!, value));
                        }
                    }
                }
            });
            _listener.Start();
        }

        public IReadOnlyList<long> Of(string operation)
        {
            lock (_recorded)
            {
                return _recorded.Where(r => r.Operation == operation).Select(r => r.Count).ToList();
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
