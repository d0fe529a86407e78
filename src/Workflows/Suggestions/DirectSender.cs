using Liaison.Domain.Common;
using Liaison.Domain.Persistence;
using Mediator;

namespace Liaison.Workflows.Suggestions;

/// <summary>
/// An <see cref="ISender"/> that runs commands and queries through their handlers on a given context and
/// clock (<see cref="DirectDispatch"/>), for hosts of the engine that have no mediator (tools, engine
/// tests). The Host's mediator is used whenever there is one.
/// </summary>
public sealed class DirectSender(LiaisonDbContext db, TimeProvider clock) : ISender
{
    public static ISender For(IServiceProvider services, LiaisonDbContext db, TimeProvider clock) =>
        services.GetService(typeof(ISender)) as ISender ?? new DirectSender(db, clock);

    public ValueTask<TResponse> Send<TResponse>(ICommand<TResponse> command, CancellationToken cancellationToken = default) =>
        new(DirectDispatch.SendAsync(db, clock, command, cancellationToken));

    public ValueTask<TResponse> Send<TResponse>(IQuery<TResponse> query, CancellationToken cancellationToken = default) =>
        new(DirectDispatch.AskAsync(db, clock, query, cancellationToken));

    public ValueTask<TResponse> Send<TResponse>(IRequest<TResponse> request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the domain has commands and queries only");

    public ValueTask<object?> Send(object message, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("send a typed command or query");

    public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamQuery<TResponse> query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the domain has no streams");

    public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamRequest<TResponse> request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the domain has no streams");

    public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamCommand<TResponse> command, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the domain has no streams");

    public IAsyncEnumerable<object?> CreateStream(object message, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the domain has no streams");
}
