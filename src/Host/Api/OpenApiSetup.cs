using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace Liaison.Host.Api;

/// <summary>
/// The OpenAPI document: both ways to sign in (bearer token from /api/auth/token, the browser's cookie) declared and applied
/// to every endpoint that needs a signed-in user; only truly required fields listed as required.
/// </summary>
public static class OpenApiSetup
{
    public const string BearerScheme = "Bearer";
    public const string CookieScheme = "Cookie";
    public const string CookieName = "liaison.auth";

    public static IServiceCollection AddLiaisonOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Liaison API";
                document.Info.Description = "代表建议办理系统接口 · Liaison suggestion-handling API";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "登录令牌（POST /api/auth/token）· Access token from POST /api/auth/token",
                };
                document.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Cookie,
                    Name = CookieName,
                    Description = "浏览器登录 Cookie · The browser's sign-in cookie",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                {
                    // Two requirements: either scheme alone is enough.
                    operation.Security =
                    [
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] },
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, context.Document)] = [] },
                    ];
                }

                return Task.CompletedTask;
            });
            o.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonPropertyInfo is null && context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 })
                {
                    var required = context.JsonTypeInfo.Properties.Where(IsRequired).Select(p => p.Name).Where(schema.Properties.ContainsKey).ToHashSet();
                    schema.Required = required.Count > 0 ? required : null;
                }

                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>
    /// Required: a <c>required</c> member, or a constructor parameter with no default whose type is not nullable
    /// (<c>string?</c>, <c>int?</c> and optional parameters may be left out).
    /// </summary>
    private static bool IsRequired(JsonPropertyInfo property) =>
        property.IsRequired
        || property.AssociatedParameter is { HasDefaultValue: false, IsNullable: false } parameter
            && Nullable.GetUnderlyingType(parameter.ParameterType) is null;
}
