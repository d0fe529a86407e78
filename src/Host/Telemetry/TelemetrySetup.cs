using System.Globalization;
using Liaison.Workflows.Diagnostics;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Liaison.Host.Telemetry;

/// <summary>
/// OpenTelemetry traces and metrics, exported over OTLP when <see cref="EndpointSetting"/> is set and not at
/// all otherwise: without an endpoint nothing is registered, so the engine's instruments have no listener and
/// cost nothing. See README "Observability".
/// </summary>
public static class TelemetrySetup
{
    public const string EndpointSetting = "Liaison:Telemetry:Otlp:Endpoint";
    public const string ProtocolSetting = "Liaison:Telemetry:Otlp:Protocol";
    public const string MetricsIntervalSetting = "Liaison:Telemetry:Otlp:MetricsIntervalSeconds";
    public const string ServiceNameSetting = "Liaison:Telemetry:ServiceName";

    public static IServiceCollection AddLiaisonTelemetry(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var endpointText = configuration[EndpointSetting];
        if (string.IsNullOrWhiteSpace(endpointText))
        {
            return services;
        }

        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new StartupConfigurationException(EndpointSetting, $"'{endpointText}' is not an http(s) address of an OTLP collector, e.g. http://localhost:4317");
        }

        var protocol = configuration[ProtocolSetting] switch
        {
            null or "" or "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            var other => throw new StartupConfigurationException(ProtocolSetting, $"'{other}' is not an OTLP protocol; use grpc or http/protobuf"),
        };

        var intervalText = configuration[MetricsIntervalSetting];
        var interval = 60;
        if (!string.IsNullOrWhiteSpace(intervalText) && (!int.TryParse(intervalText, NumberStyles.None, CultureInfo.InvariantCulture, out interval) || interval < 1))
        {
            throw new StartupConfigurationException(MetricsIntervalSetting, $"'{intervalText}' is not a whole number of seconds ≥ 1");
        }

        var serviceName = configuration[ServiceNameSetting] is { Length: > 0 } name ? name : "liaison";

        // With http/protobuf a configured endpoint is used as given, so each signal gets its own path.
        Uri For(string signal) => protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + "/v1/" + signal)
            : endpoint;

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceInstanceId: Environment.MachineName)
                .AddAttributes([new KeyValuePair<string, object>("deployment.environment.name", environment.EnvironmentName)]))
            .WithTracing(t => t
                .AddSource(WorkflowTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(o =>
                {
                    o.Endpoint = For("traces");
                    o.Protocol = protocol;
                }))
            .WithMetrics(m => m
                .AddMeter(WorkflowTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter((o, reader) =>
                {
                    o.Endpoint = For("metrics");
                    o.Protocol = protocol;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval * 1000;
                }));
        return services;
    }

    /// <summary>
    /// Counts each request's database round trips (every context's commands and commits) into
    /// <c>liaison.db.round_trips</c> with its route; only while something listens to that instrument.
    /// </summary>
    public static WebApplication UseRequestRoundTrips(this WebApplication app)
    {
        var telemetry = app.Services.GetRequiredService<WorkflowTelemetry>();
        app.Use(async (context, next) =>
        {
            // A Blazor circuit or other long-lived connection would add up a whole session, not a request.
            if (!telemetry.DbRoundTrips.Enabled || context.WebSockets.IsWebSocketRequest || context.Request.Path.StartsWithSegments("/_blazor"))
            {
                await next(context);
                return;
            }

            using var counting = RoundTripCounter.Begin();
            try
            {
                await next(context);
            }
            finally
            {
                if (counting.Count > 0)
                {
                    var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
                    telemetry.DbRoundTrips.Record(
                        counting.Count,
                        new KeyValuePair<string, object?>("liaison.operation", "http"),
                        new KeyValuePair<string, object?>("http.route", route),
                        new KeyValuePair<string, object?>("http.request.method", context.Request.Method));
                }
            }
        });
        return app;
    }
}
