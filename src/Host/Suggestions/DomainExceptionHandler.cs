using Liaison.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Liaison.Host.Suggestions;

/// <summary>
/// Domain refusals as RFC 9457 problem details: the stable code in "code", every field at fault in
/// "errors"; unknown items are 404, rule refusals 409, bad input 400.
/// </summary>
internal sealed class DomainExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not DomainException refused)
        {
            return false;
        }

        var status = refused switch
        {
            ValidationFailedException => StatusCodes.Status400BadRequest,
            _ when refused.Code == ErrorCodes.NotFound => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status409Conflict,
        };
        var problem = new ProblemDetails
        {
            Status = status,
            Title = status switch
            {
                StatusCodes.Status400BadRequest => "The request is not valid.",
                StatusCodes.Status404NotFound => "Not found.",
                _ => "The rules do not allow this now.",
            },
            Detail = refused.Message,
        };
        problem.Extensions["code"] = refused.Code;
        if (refused is ValidationFailedException invalid)
        {
            problem.Extensions["errors"] = invalid.Errors
                .GroupBy(e => FieldName(e.Field))
                .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        }

        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>Commands name fields in C# (<c>CoSignerIds</c>); the client sent them in camelCase (<c>coSignerIds</c>).</summary>
    internal static string FieldName(string field) =>
        string.Join('.', field.Split('.').Select(part => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(part)));
}
