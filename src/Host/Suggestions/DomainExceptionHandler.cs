using Liaison.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Liaison.Host.Suggestions;

/// <summary>
/// Domain refusals as RFC 9457 problem details: the stable code in "code", every field at fault in
/// "errors"; unknown items are 404, rule refusals 409, bad input 400 (see <see cref="Refusal"/>).
/// </summary>
internal sealed class DomainExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not DomainException refused || Refusal.From(refused) is not { } refusal)
        {
            return false;
        }

        var problem = new ProblemDetails { Status = refusal.Status, Title = refusal.Title, Detail = refusal.Detail };
        problem.Extensions["code"] = refused.Code;
        if (refused is ValidationFailedException)
        {
            problem.Extensions["errors"] = refusal.Errors;
        }

        httpContext.Response.StatusCode = refusal.Status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }
}
