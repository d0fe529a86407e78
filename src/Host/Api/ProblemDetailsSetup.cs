using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Liaison.Host.Api;

/// <summary>Every API error leaves as RFC 9457 problem details (application/problem+json).</summary>
public static class ProblemDetailsSetup
{
    public static IServiceCollection AddLiaisonProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options =>
        {
            options.CustomizeProblemDetails = context =>
            {
                context.ProblemDetails.Instance ??= $"{context.HttpContext.Request.Method} {context.HttpContext.Request.Path}";
                context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
            };
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();

        // Without this, minimal APIs answer a bad body with a bare 400 and log the reason; thrown, the handler names the field.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }
}

/// <summary>
/// Maps malformed requests (bad JSON, wrong JSON types, invalid UTF-8, wrong parameter types) to 400 instead of 500;
/// a JSON error names the field as the client sent it (<c>coSignerIds[0]</c>) in <c>errors</c>.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // A JsonException of our own (stored data) stays a 500: only a body the framework failed to read is the client's fault.
        var bad = exception as BadHttpRequestException;
        var json = bad is null ? null : Find<JsonException>(exception);
        var badText = Find<DecoderFallbackException>(exception);
        if (bad is null && badText is null)
        {
            return false;
        }

        var status = bad?.StatusCode ?? StatusCodes.Status400BadRequest;
        var problem = new ProblemDetails
        {
            Status = status,
            Title = "The request is not valid.",
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        };
        if (badText is not null)
        {
            problem.Detail = "The request body is not valid UTF-8.";
        }
        else if (json is not null)
        {
            var field = FieldOf(json.Path);
            problem.Detail = field is null ? "The request body is not valid JSON." : $"'{field}' has the wrong type or is not valid JSON.";
            problem.Extensions["errors"] = new Dictionary<string, string[]>
            {
                [field ?? "body"] = [field is null ? "is not valid JSON" : "has the wrong type or is not valid JSON"],
            };
        }
        else
        {
            problem.Detail = bad!.Message;
        }

        httpContext.Response.StatusCode = status;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = problem });
    }

    /// <summary>"$.coSignerIds[0]" → "coSignerIds[0]"; "$" or no path → null (the body as a whole).</summary>
    internal static string? FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? null : field;
    }

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }

        return null;
    }
}
