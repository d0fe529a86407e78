using System.Text.Json;
using System.Text.Json.Nodes;
using Liaison.Domain.Persistence;
using Liaison.Workflows.Durable;
using Liaison.Workflows.Persistence;
using Liaison.Workflows.Time;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Liaison.Workflows.Suggestions;

/// <summary>The domain command's result and where the workflow went next.</summary>
public sealed record SuggestionStepResult<T>(T Value, BurstResult Workflow);

/// <summary>
/// Runs a domain command and completes the workflow task it belongs to in ONE database transaction: the
/// domain and engine contexts share a connection and transaction. A domain refusal leaves the task open
/// and writes nothing; a workflow refusal (task already completed, outcome not allowed) rolls the domain
/// change back. Scoped: use the LiaisonDbContext, WorkflowsDbContext and WorkflowEngine of one scope.
/// </summary>
public sealed class SuggestionWorkflowService(
    LiaisonDbContext domain,
    WorkflowsDbContext workflows,
    WorkflowEngine engine,
    IWorkingCalendar calendar,
    IServiceProvider services)
{
    private const int MaxAttempts = 5;

    /// <summary>Sends <paramref name="command"/> through the mediator (its handler gets this scope's LiaisonDbContext) and completes the task.</summary>
    public Task<SuggestionStepResult<T>> SendAsync<T>(Guid taskId, string outcome, ICommand<T> command, JsonObject? data = null, string? completedBy = null, CancellationToken cancellationToken = default) =>
        CompleteAsync(taskId, outcome, (_, ct) => services.GetRequiredService<ISender>().Send(command, ct), data, completedBy, cancellationToken);

    /// <summary>
    /// Runs <paramref name="domainStep"/> on the shared transaction, then completes the task with
    /// <paramref name="outcome"/>. The step's result is added to the completion data as "domainResult",
    /// so later steps can refer to what it created (a reply id, a task id).
    /// </summary>
    public async Task<SuggestionStepResult<T>> CompleteAsync<T>(
        Guid taskId,
        string outcome,
        Func<LiaisonDbContext, CancellationToken, ValueTask<T>> domainStep,
        JsonObject? data = null,
        string? completedBy = null,
        CancellationToken cancellationToken = default)
    {
        // Load the calendar before the transaction, so the burst never queries it while holding locks.
        if (calendar is DomainWorkingCalendar stored)
        {
            await stored.WarmUpAsync(domain, cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunOnceAsync(taskId, outcome, domainStep, data, completedBy, cancellationToken);
            }
            catch (Exception ex) when (attempt < MaxAttempts && (WorkflowEngine.IsTransient(ex) || IsNumberingRace(ex)))
            {
                // Lost an optimistic race on the instance row, or two admissions took the same suggestion number
                // at once: the whole unit (domain step included) runs again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="domainStep"/> (e.g. submitting a suggestion) and starts the published
    /// <paramref name="definitionId"/> with the inputs and correlation key it returns, in one transaction:
    /// no suggestion without its workflow, no workflow without its suggestion.
    /// </summary>
    public async Task<SuggestionStepResult<T>> StartAsync<T>(
        string definitionId,
        Func<LiaisonDbContext, CancellationToken, ValueTask<(T Value, IReadOnlyDictionary<string, JsonNode?> Input, string CorrelationKey)>> domainStep,
        CancellationToken cancellationToken = default)
    {
        if (calendar is DomainWorkingCalendar stored)
        {
            await stored.WarmUpAsync(domain, cancellationToken);
        }

        return await InTransactionAsync(async ct =>
        {
            var (value, input, key) = await domainStep(domain, ct);
            var burst = await engine.StartAsync(definitionId, input, key, ct);
            return new SuggestionStepResult<T>(value, burst);
        }, cancellationToken);
    }

    private Task<SuggestionStepResult<T>> RunOnceAsync<T>(
        Guid taskId, string outcome, Func<LiaisonDbContext, CancellationToken, ValueTask<T>> domainStep, JsonObject? data, string? completedBy, CancellationToken cancellationToken) =>
        InTransactionAsync(async ct =>
        {
            var value = await domainStep(domain, ct);
            var completion = (JsonObject?)data?.DeepClone() ?? [];
            completion["domainResult"] = JsonSerializer.SerializeToNode(value);
            var burst = await engine.CompleteTaskAsync(taskId, outcome, completion, completedBy, ct);
            return new SuggestionStepResult<T>(value, burst);
        }, cancellationToken);

    /// <summary>
    /// Two admissions of the same term and year at once: both read the counter and the second's insert of the
    /// number (or of a first counter row) meets the first's in the unique index, before the counter's
    /// concurrency token is checked. Running the unit again reads the new counter.
    /// </summary>
    internal static bool IsNumberingRace(Exception ex) =>
        ex.GetBaseException() is Npgsql.PostgresException { SqlState: "23505", ConstraintName: "ix_suggestions_term_year_sequence" or "pk_suggestion_number_counters" };

    /// <summary>The domain and engine contexts on one connection and one transaction; timers are scheduled after the commit.</summary>
    private async Task<TResult> InTransactionAsync<TResult>(Func<CancellationToken, Task<TResult>> work, CancellationToken cancellationToken)
    {
        var connection = domain.Database.GetDbConnection();
        if (!ReferenceEquals(workflows.Database.GetDbConnection(), connection))
        {
            workflows.Database.SetDbConnection(connection, contextOwnsConnection: false);
        }

        await domain.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await domain.Database.BeginTransactionAsync(cancellationToken);
            await workflows.Database.UseTransactionAsync(transaction.GetDbTransaction(), cancellationToken);
            try
            {
                var result = await work(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                engine.ScheduleDeferredTimers();
                return result;
            }
            catch
            {
                await transaction.RollbackAsync(CancellationToken.None);
                engine.DiscardDeferredTimers();
                domain.ChangeTracker.Clear();
                workflows.ChangeTracker.Clear();
                throw;
            }
            finally
            {
                await workflows.Database.UseTransactionAsync(null, CancellationToken.None);
            }
        }
        finally
        {
            await domain.Database.CloseConnectionAsync();
        }
    }
}
