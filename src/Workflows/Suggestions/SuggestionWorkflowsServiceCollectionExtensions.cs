using Liaison.Domain.Common;
using Liaison.Domain.Persistence;
using Liaison.Workflows.DueItems;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Tasks;
using Liaison.Workflows.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Liaison.Workflows.Suggestions;

public static class SuggestionWorkflowsServiceCollectionExtensions
{
    /// <summary>
    /// The bridge between suggestion workflows and the domain: the domain's stored calendar as the engine's
    /// working-day calendar, the domain's context in the engine's unit of work, and every suggestion step's
    /// handler. Register the activities with <c>AddLiaisonWorkflows(SuggestionActivities.RegisterAll)</c>; the
    /// LiaisonDbContext comes from the host.
    /// </summary>
    public static IServiceCollection AddSuggestionWorkflows(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DomainWorkingCalendar>();
        services.Replace(ServiceDescriptor.Singleton<IWorkingCalendar>(sp => sp.GetRequiredService<DomainWorkingCalendar>()));
        services.AddScoped<IUnitOfWorkParticipant, DomainParticipant>();
        foreach (var step in SuggestionActivities.Steps)
        {
            services.AddSingleton<ITaskStep>(step);
        }

        services.AddScoped<SuggestionWorkflowService>();
        services.AddScoped<ITaskDeadlinePolicy, SuggestionDeadlinePolicy>();
        services.AddScoped<ITaskAudience, SuggestionTaskAudience>();
        services.AddScoped<IMessageSubjectProvider, SuggestionSubjects>();
        services.AddScoped<IDueItemHandler, OverdueDigestHandler>();
        services.AddScoped<IDueItemHandler, WeeklySummaryHandler>();
        return services;
    }

    /// <summary>The suggestion domain's context in the engine's unit of work.</summary>
    private sealed class DomainParticipant(LiaisonDbContext domain, IWorkingCalendar calendar) : IUnitOfWorkParticipant
    {
        public DbContext Context => domain;

        /// <summary>The runner is synchronous: the stored calendar is loaded before the transaction, never inside a burst.</summary>
        public Task PrepareAsync(CancellationToken cancellationToken) =>
            calendar is DomainWorkingCalendar stored ? stored.WarmUpAsync(domain, cancellationToken) : Task.CompletedTask;

        /// <summary>
        /// Two admissions of one term and year at once meet in the number's unique index (or the first counter row)
        /// before the counter's concurrency token is checked; running the unit again reads the new counter. A domain
        /// concurrency refusal inside a unit is the same kind of lost race.
        /// </summary>
        public bool IsTransient(Exception exception) =>
            exception.GetBaseException() is Npgsql.PostgresException { SqlState: "23505", ConstraintName: "ix_suggestions_term_year_sequence" or "pk_suggestion_number_counters" }
            || exception is DomainException { Code: ErrorCodes.Concurrency };
    }
}
