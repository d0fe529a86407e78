using System.Collections.Concurrent;
using Liaison.Domain.Persistence;
using Mediator;

namespace Liaison.Domain.Common;

/// <summary>
/// Runs a command or query through its real handler with a given DbContext and clock. For replaying
/// history at chosen times (demo data) and for tests; requests in the Host go through the mediator.
/// </summary>
public static class DirectDispatch
{
    private static readonly ConcurrentDictionary<Type, Type> HandlerTypes = new();

    public static Task<TResult> SendAsync<TResult>(LiaisonDbContext db, TimeProvider clock, ICommand<TResult> command, CancellationToken cancellationToken = default) =>
        InvokeAsync<TResult>(typeof(ICommandHandler<,>).MakeGenericType(command.GetType(), typeof(TResult)), db, clock, command, cancellationToken);

    public static Task<TResult> AskAsync<TResult>(LiaisonDbContext db, TimeProvider clock, IQuery<TResult> query, CancellationToken cancellationToken = default) =>
        InvokeAsync<TResult>(typeof(IQueryHandler<,>).MakeGenericType(query.GetType(), typeof(TResult)), db, clock, query, cancellationToken);

    private static async Task<TResult> InvokeAsync<TResult>(Type handlerInterface, LiaisonDbContext db, TimeProvider clock, object message, CancellationToken cancellationToken)
    {
        var type = HandlerTypes.GetOrAdd(handlerInterface, i => typeof(LiaisonDbContext).Assembly.GetTypes().Single(t => t.IsClass && !t.IsAbstract && i.IsAssignableFrom(t)));
        var constructor = type.GetConstructors().Single();
        var arguments = constructor.GetParameters()
            .Select(p => p.ParameterType == typeof(TimeProvider) ? (object)clock : p.ParameterType.IsInstanceOfType(db) ? db : throw new InvalidOperationException($"{type.Name} needs a {p.ParameterType.Name}, which direct dispatch cannot give"))
            .ToArray();
        var handler = constructor.Invoke(arguments);
        return await (ValueTask<TResult>)handlerInterface.GetMethod("Handle")!.Invoke(handler, [message, cancellationToken])!;
    }
}
