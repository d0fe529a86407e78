using Liaison.Workflows.DueItems;
using Liaison.Workflows.Time;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Liaison.Workflows.Suggestions;

public static class SuggestionWorkflowsServiceCollectionExtensions
{
    /// <summary>
    /// The bridge between suggestion workflows and the domain: the domain's stored calendar as the engine's
    /// working-day calendar, and <see cref="SuggestionWorkflowService"/>. Register the activities with
    /// <c>AddLiaisonWorkflows(SuggestionActivities.RegisterAll)</c>; the LiaisonDbContext comes from the host.
    /// </summary>
    public static IServiceCollection AddSuggestionWorkflows(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DomainWorkingCalendar>();
        services.Replace(ServiceDescriptor.Singleton<IWorkingCalendar>(sp => sp.GetRequiredService<DomainWorkingCalendar>()));
        services.AddScoped<SuggestionWorkflowService>();
        services.AddScoped<ITaskDeadlinePolicy, SuggestionDeadlinePolicy>();
        services.AddScoped<ITaskAudience, SuggestionTaskAudience>();
        services.AddScoped<IMessageSubjectProvider, SuggestionSubjects>();
        services.AddScoped<ITaskTimeout, SuggestionTaskTimeout>();
        services.AddScoped<IDueItemHandler, OverdueDigestHandler>();
        services.AddScoped<IDueItemHandler, WeeklySummaryHandler>();
        return services;
    }
}
