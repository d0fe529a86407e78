using Liaison.Host.Suggestions;
using Liaison.Workflows.Durable;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Liaison.Host.Workflows;

/// <summary>Turns the engine's refusals into RFC 9457 problem details; invalid definitions list every problem.</summary>
internal sealed class EngineExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not WorkflowEngineException refused || Refusal.From(refused) is not { } refusal)
        {
            return false;
        }

        var (status, title) = (refusal.Status, refusal.Title);
        var problem = new ProblemDetails { Status = status, Title = title, Detail = refused.Message };
        if (refused.Problems.Count > 0)
        {
            problem.Extensions["problems"] = refused.Problems
                .Select(p => new { activityId = p.ActivityId, input = p.InputName, code = p.Code, message = p.Message })
                .ToList();
        }

        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }
}
