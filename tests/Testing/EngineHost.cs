using Liaison.Host.Notifications;
using Liaison.Workflows.Definitions;
using Liaison.Workflows.Durable;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Liaison.Testing;

/// <summary>
/// The durable workflow engine on a real database without the web host: the same registrations the
/// Host uses, a fake clock, and a fresh DI scope (so a fresh DbContext, as on another request) per call.
/// </summary>
public sealed class EngineHost : IAsyncDisposable
{
    private readonly ServiceProvider provider;

    private EngineHost(ServiceProvider provider, FakeTimeProvider clock)
    {
        this.provider = provider;
        Clock = clock;
    }

    public FakeTimeProvider Clock { get; }

    public IServiceProvider Services => provider;

    public static async Task<EngineHost> StartAsync(TestDatabase database, FakeTimeProvider? clock = null, Action<IServiceCollection>? configure = null)
    {
        clock ??= FakeClock.Create();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.UseFakeClock(clock);
        services.AddWorkflowsDbContext(database.Provider, database.ConnectionString);
        services.AddLiaisonWorkflows();
        // The notices' texts are the application's; the engine renders through them.
        services.AddLiaisonMessaging(database.Provider, database.ConnectionString);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Liaison.Workflows.Persistence.WorkflowsDbContext>().Database.MigrateAsync();
            await scope.ServiceProvider.GetRequiredService<MessagingDbContext>().Database.MigrateAsync();
        }

        return new EngineHost(provider, clock);
    }

    /// <summary>Runs <paramref name="action"/> with the engine of a new scope.</summary>
    public async Task<T> EngineAsync<T>(Func<WorkflowEngine, Task<T>> action)
    {
        await using var scope = provider.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<WorkflowEngine>());
    }

    /// <summary>Acts on a task through the one completion operation, in a new scope.</summary>
    public async Task<Liaison.Workflows.Tasks.CompletedTask> CompleteAsync(Guid taskId, string outcome, System.Text.Json.Nodes.JsonObject? fields, Liaison.Workflows.Tasks.ActingUser user)
    {
        await using var scope = provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Liaison.Workflows.Tasks.TaskCompletion>().CompleteAsync(taskId, outcome, fields, user);
    }

    public async Task<T> StoreAsync<T>(Func<DefinitionStore, Task<T>> action)
    {
        await using var scope = provider.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<DefinitionStore>());
    }

    public async Task<T> QueriesAsync<T>(Func<WorkflowQueries, Task<T>> action)
    {
        await using var scope = provider.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<WorkflowQueries>());
    }

    /// <summary>Saves and publishes a definition given as native JSON; returns the published version.</summary>
    public Task<DefinitionVersionInfo> PublishAsync(string json) => StoreAsync(async store =>
    {
        var definition = WorkflowDefinitionSerializer.Read(json);
        var draft = await store.SaveDraftAsync(definition, "test");
        return await store.PublishAsync(definition.DefinitionId, draft.Version);
    });

    public ValueTask DisposeAsync() => provider.DisposeAsync();
}
