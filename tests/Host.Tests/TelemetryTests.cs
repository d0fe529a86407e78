using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Domain.Persistence;
using Liaison.Host.Identity;
using Liaison.Host.Telemetry;
using Liaison.Testing;
using Liaison.Workflows.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using static Liaison.Testing.Flowcharts;

namespace Liaison.Host.Tests;

/// <summary>Traces and metrics: nothing without an OTLP endpoint; with one, a task completion is measured and counted.</summary>
public sealed class TelemetryTests
{
    // Nothing listens here: the OTLP exporter's sends fail quietly, the in-memory exporters get the same data.
    private const string UnusedCollector = "http://127.0.0.1:9";

    [Fact]
    public async Task Off_by_default_registers_no_exporter_and_counts_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "otel-off");
        await using var app = await LiaisonWebApp.StartAsync(database);

        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Null(app.Services.GetService<MeterProvider>());
        var telemetry = app.Services.GetRequiredService<WorkflowTelemetry>();
        Assert.False(telemetry.DbRoundTrips.Enabled, "no listener, so requests and operations are not counted");
        Assert.False(telemetry.TaskCompletion.Enabled);
    }

    [Fact]
    public void A_bad_endpoint_or_protocol_names_its_setting()
    {
        var services = new ServiceCollection();
        var environment = new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Test" };
        static IConfiguration Settings(params (string Key, string Value)[] pairs) =>
            new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

        var endpoint = Assert.Throws<StartupConfigurationException>(() => services.AddLiaisonTelemetry(Settings((TelemetrySetup.EndpointSetting, "collector:4317")), environment));
        Assert.Equal(TelemetrySetup.EndpointSetting, endpoint.Setting);
        var protocol = Assert.Throws<StartupConfigurationException>(() => services.AddLiaisonTelemetry(
            Settings((TelemetrySetup.EndpointSetting, "http://127.0.0.1:4317"), (TelemetrySetup.ProtocolSetting, "udp")), environment));
        Assert.Equal(TelemetrySetup.ProtocolSetting, protocol.Setting);
        Assert.Empty(services);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Completing_a_task_records_its_latency_its_round_trips_and_a_span(DatabaseProvider provider)
    {
        var metrics = new List<MetricSnapshot>();
        var spans = new List<Activity>();
        await using var database = await TestDatabase.CreateAsync(provider, "otel");
        await using var app = await LiaisonWebApp.StartAsync(
            database,
            new Dictionary<string, string?> { [TelemetrySetup.EndpointSetting] = UnusedCollector },
            services => services
                .ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics))
                .ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        Assert.NotNull(app.Services.GetService<TracerProvider>());

        var designer = await app.ClientForAsync(Roles.Designer);
        var office = await app.ClientForAsync(Roles.LiaisonOffice);
        var handler = await app.ClientForAsync(Roles.UnitHandler, unitId: "u1");
        var flow = Build(
            "otel-review",
            [
                Activity("start", "Start"),
                Activity("review", "HumanTask", new JsonObject
                {
                    ["title"] = Literal("签收"),
                    ["assigneeKind"] = Literal("Unit"),
                    ["assigneeId"] = Literal("u1"),
                    ["outcomes"] = Literal(new JsonArray("Sign")),
                }),
            ],
            [("start", "Done", "review")]);
        await Ok(await designer.PutAsync(new Uri("/api/workflows/definitions/otel-review/draft", UriKind.Relative), new StringContent(flow, Encoding.UTF8, "application/json")));
        await Ok(await designer.PostAsync(new Uri("/api/workflows/definitions/otel-review/publish", UriKind.Relative), null));
        await Ok(await office.PostAsJsonAsync("/api/workflows/instances", new { definitionId = "otel-review" }));
        var tasks = await Ok(await handler.GetAsync(new Uri("/api/workflows/tasks", UriKind.Relative)));
        var taskId = tasks.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetString();
        await Ok(await handler.PostAsJsonAsync($"/api/workflows/tasks/{taskId}/complete", new { outcome = "Sign" }));

        // The OTLP exporter's flush fails (no collector), so its result says false; the in-memory exporters have run.
        app.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000);
        app.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000);

        // The meter and source are process-wide names: tests running beside this one may add their own completions to
        // the same points, so this test's own completion is picked out by its span (task id) and the points are bounds.
        var span = Assert.Single(spans, s => s.OperationName == "workflow.complete_task" && s.GetTagItem("liaison.task.id")?.ToString() == taskId);
        var ownRoundTrips = Convert.ToInt64(span.GetTagItem("liaison.db.round_trips"), System.Globalization.CultureInfo.InvariantCulture);

        // Claim the task, its step, the bookmark claim + instance load, the write batch, the commit, ...: several, and bounded.
        Assert.InRange(ownRoundTrips, 3, 40);

        // Every test app in this process has its own meter named Liaison.Workflows and this provider listens to all of
        // them, so an export can hold one stream per app under the same name: look for this test's points in all of them.
        Assert.Contains(Points(metrics, "liaison.task.completion.duration"), p =>
            Tag(p, "liaison.outcome") == "Sign" && p.GetHistogramCount() >= 1 && p.GetHistogramSum() > 0);

        var roundTrips = Points(metrics, "liaison.db.round_trips").ToList();
        Assert.Contains(roundTrips, p => Tag(p, "liaison.operation") == "complete_task" && p.GetHistogramSum() >= ownRoundTrips);
        Assert.Contains(roundTrips, p =>
            Tag(p, "liaison.operation") == "http" && Tag(p, "http.route")?.EndsWith("/complete", StringComparison.Ordinal) == true
            && Tag(p, "http.request.method") == "POST" && p.GetHistogramSum() >= ownRoundTrips);
        Assert.Contains(roundTrips, p => Tag(p, "liaison.operation") == "start" && p.GetHistogramSum() >= 2);

        // The queue depths are observed when the exporter collects.
        Assert.Contains(Points(metrics, "liaison.due_items.waiting"), p => p.GetGaugeLastValueLong() >= 0);
        Assert.Contains(Points(metrics, "liaison.outbox.waiting"), p => p.GetGaugeLastValueLong() >= 0);

        Assert.Contains(spans, s => s.OperationName == "workflow.resume" || s.OperationName == "workflow.start");
    }

    private static List<MetricPoint> Points(List<MetricSnapshot> metrics, string name)
    {
        var points = metrics.Where(m => m.Name == name).SelectMany(m => m.MetricPoints).ToList();
        Assert.True(points.Count > 0, $"no {name} exported; got {string.Join(", ", metrics.Select(m => m.Name).Distinct())}");
        return points;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }
}
