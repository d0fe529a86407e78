namespace Liaison.Host.Tasks;

/// <summary>The inbox (/tasks) and the task page (/tasks/{id}): their per-operation data services.</summary>
public static class TaskPageSetup
{
    public static IServiceCollection AddTaskPages(this IServiceCollection services)
    {
        services.AddScoped<TaskPageData>();
        services.AddScoped<InboxData>();
        return services;
    }
}
