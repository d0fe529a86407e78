using Liaison.Domain.Persistence;
using Liaison.Domain.Settings;
using Liaison.Host.Analysis;
using Liaison.Host.Api;
using Liaison.Host.Attachments;
using Liaison.Host.Background;
using Liaison.Host.Components;
using Liaison.Host.Dashboard;
using Liaison.Host.Demo;
using Liaison.Host.Deputies;
using Liaison.Host.DueItems;
using Liaison.Host.Health;
using Liaison.Host.HttpWorkflows;
using Liaison.Host.Identity;
using Liaison.Host.Localization;
using Liaison.Host.Notifications;
using Liaison.Host.Office;
using Liaison.Host.Storage;
using Liaison.Host.Suggestions;
using Liaison.Host.Tasks;
using Liaison.Host.Telemetry;
using Liaison.Host.Workflows;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Suggestions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor.Services;
using Scalar.AspNetCore;

namespace Liaison.Host;

/// <summary>
/// The composition root. Program.cs runs it; tests build it with their own settings (provider, port,
/// fake clock) so that what they exercise is the real application.
/// </summary>
public static class LiaisonApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(LiaisonApp).Assembly.GetName().Name,
            ContentRootPath = HostContentRoot.Default(args),
        });
        customize?.Invoke(builder);

        var storage = StorageOptions.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
        ConfigureLogging(builder);

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        ReplayableClock.Decorate(services);
        services.AddLiaisonStorage(storage);
        services.AddLiaisonTelemetry(builder.Configuration, builder.Environment);
        services.AddReplyAttachments(builder.Configuration, builder.Environment, storage);
        services.AddSingleton<ITimerScheduler, HangfireTimerScheduler>();
        services.AddSingleton<Liaison.Workflows.DueItems.IDueItemScheduler, Liaison.Host.DueItems.HangfireDueItemScheduler>();
        services.AddSingleton(CreateDueItemOptions(builder.Configuration));
        services.AddLiaisonWorkflows(SuggestionActivities.RegisterAll).AddSuggestionWorkflows();
        services.AddSingleton<DemoDataSeeder>();
        services.AddScoped<TaskAccess>();
        services.AddSingleton<Liaison.Host.Api.ApiPages>();
        services.AddScoped<Liaison.Host.Dashboard.KpiRollupJob>();
        services.AddHttpWorkflows(builder.Configuration);
        services.AddTaskPages();
        services.AddScoped<ReplySurvey>();
        services.AddOfficeConsole();
        services.AddDeputyPortal();
        services.AddSingleton<Liaison.Host.Studio.StudioOperations>();
        services.AddLiaisonIdentity(builder.Configuration, storage);
        services.AddLiaisonNotifications(builder.Configuration);
        services.AddExceptionHandler<EngineExceptionHandler>();
        services.AddExceptionHandler<DomainExceptionHandler>();

        // Handlers take the request's DbContext, so the mediator and its handlers live per scope.
        services.AddMediator((Mediator.MediatorOptions o) => o.ServiceLifetime = ServiceLifetime.Scoped);
        services.AddLiaisonBackgroundJobs(builder.Configuration, storage);
        services.AddLiaisonHealthChecks();
        services.AddLiaisonProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        services.AddLiaisonOpenApi();
        services.AddLocalization();
        services.AddSingleton(CreateDisplayTime(builder.Configuration));
        services.Configure<RequestLocalizationOptions>(Cultures.Configure);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();

        var app = builder.Build();
        app.Lifetime.ApplicationStarted.Register(() => DefaultSiteUrl(app));

        app.UseRequestRoundTrips();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // Browsers get a Chinese (or English) page for 404 and other errors; the API and tools keep problem details.
        app.UseWhen(IsBrowserPage, branch => branch.UseStatusCodePagesWithReExecute("/error/{0}"));

        // Routing after the status pages, so a re-executed request finds the error page's endpoint.
        app.UseRouting();
        app.UseRequestLocalization();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapOpenApi();
        app.MapScalarApiReference(o => o.WithTitle("Liaison API"));
        app.MapLiaisonHealth();
        app.MapLiaisonHangfireDashboard();
        app.MapCultureSwitch();
        app.MapAuthEndpoints();
        app.MapUserAdminEndpoints();
        app.MapSystemEndpoints();
        app.MapWorkflowEndpoints();
        app.MapHttpWorkflows();
        app.MapReportingEndpoints();
        app.MapDashboardEndpoints();
        app.MapSuggestionEndpoints();
        app.MapAttachmentEndpoints();
        app.MapDeputyLookups();
        app.MapAnalysisEndpoints();
        app.MapNotificationEndpoints();
        app.MapOfficeEndpoints();
        app.MapMessageTemplateEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>Without <c>Liaison:SiteUrl</c>, links in messages use the address this Host listens on (a wildcard host as localhost).</summary>
    private static void DefaultSiteUrl(WebApplication app)
    {
        if (app.Configuration["Liaison:SiteUrl"] is { Length: > 0 })
        {
            return;
        }

        var addresses = app.Services.GetService<Microsoft.AspNetCore.Hosting.Server.IServer>()?.Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.OrderBy(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? 0 : 1).FirstOrDefault();
        if (address is null)
        {
            return;
        }

        var site = System.Text.RegularExpressions.Regex.Replace(address, @"^(https?://)(\+|\*|0\.0\.0\.0|\[::\])(?=[:/]|$)", "$1localhost");
        app.Services.GetRequiredService<Liaison.Workflows.DueItems.DueItemOptions>().SiteUrl = site.TrimEnd('/');
    }

    private static bool IsBrowserPage(HttpContext context)
    {
        var path = context.Request.Path;
        string[] machine = ["/api", "/health", "/hangfire", "/scalar", "/openapi", "/_blazor", "/_framework", "/_content"];
        return HttpMethods.IsGet(context.Request.Method)
            && !machine.Any(m => path.StartsWithSegments(m, StringComparison.OrdinalIgnoreCase))
            && context.Request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);
    }

    /// <summary>Migrates the database and records this start; call before the app starts serving.</summary>
    public static async Task PrepareAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        var options = app.Services.GetRequiredService<StorageOptions>();
        if (app.Configuration.GetValue("Liaison:Database:MigrateOnStart", true))
        {
            await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LiaisonDbContext>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        await SystemSettings.RecordStartAsync(db, clock, cancellationToken);
        await WorkflowStartup.RunAsync(app, cancellationToken);

        // Demo data (a fictional city, then one user per role acting in it) only where demo mode is on:
        // by default the embedded database under `dotnet run`, never PostgreSQL.
        if (IdentitySeeder.DemoEnabled(app.Configuration, app.Environment, options))
        {
            await app.Services.GetRequiredService<DemoDataSeeder>().SeedAsync(cancellationToken);
        }

        await IdentitySeeder.RunAsync(app, cancellationToken);
        app.Logger.LogInformation("Liaison storage: {Database}", options.Describe());
    }

    private static DisplayTime CreateDisplayTime(IConfiguration configuration)
    {
        try
        {
            return new DisplayTime(configuration);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new StartupConfigurationException(DisplayTime.Setting, $"unknown time zone '{configuration[DisplayTime.Setting]}'; use an IANA name such as Asia/Shanghai.");
        }
    }

    /// <summary>Messages link to <c>Liaison:SiteUrl</c> and show dates in <c>Liaison:TimeZone</c>.</summary>
    private static Liaison.Workflows.DueItems.DueItemOptions CreateDueItemOptions(IConfiguration configuration)
    {
        var options = new Liaison.Workflows.DueItems.DueItemOptions();
        if (configuration["Liaison:SiteUrl"] is { Length: > 0 } site)
        {
            options.SiteUrl = site;
        }

        if (configuration[DisplayTime.Setting] is { Length: > 0 } zone)
        {
            try
            {
                options.TimeZone = TimeZoneInfo.FindSystemTimeZoneById(zone);
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                throw new StartupConfigurationException(DisplayTime.Setting, $"unknown time zone '{zone}'; use an IANA name such as Asia/Shanghai.");
            }
        }

        return options;
    }

    private static void ConfigureLogging(WebApplicationBuilder builder)
    {
        // Structured logs: JSON lines when Logging:Format=json (production), readable text otherwise.
        if (string.Equals(builder.Configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }
    }
}
