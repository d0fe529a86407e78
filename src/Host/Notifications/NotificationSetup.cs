using Hangfire;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Liaison.Host.Notifications;

public static class NotificationSetup
{
    public const string SmtpSection = "Liaison:Notifications:Smtp";
    public const string DispatchCronSetting = "Liaison:Notifications:DispatchCron";

    public static IServiceCollection AddLiaisonNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(SmtpSection).Get<SmtpOptions>() ?? new SmtpOptions());
        // Try: a real gateway (or a test's) registered earlier wins.
        services.TryAddSingleton<ISmsSender, LoggingSmsSender>();
        services.AddScoped<INotificationChannel, InAppChannel>();
        services.AddScoped<INotificationChannel, EmailChannel>();
        services.AddScoped<INotificationChannel, SmsChannel>();
        services.AddScoped<RecipientResolver>();
        services.AddScoped<NotificationDispatcher>();
        services.AddScoped<NotificationDispatchJob>();
        services.AddSingleton<OutboxPump>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxPump>());
        services.Replace(ServiceDescriptor.Singleton<Liaison.Workflows.Durable.IOutboxSignal>(sp => sp.GetRequiredService<OutboxPump>()));
        return services;
    }

    public static void AddNotificationDispatch(IServiceProvider services, IConfiguration configuration) =>
        services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<NotificationDispatchJob>(
            NotificationDispatchJob.RecurringJobId,
            job => job.DispatchAsync(CancellationToken.None),
            configuration[DispatchCronSetting] ?? Cron.Minutely());
}
