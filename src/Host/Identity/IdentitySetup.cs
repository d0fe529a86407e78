using Liaison.Domain.Persistence;
using Liaison.Host.Storage;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace Liaison.Host.Identity;

/// <summary>Settings bound from "Liaison:Auth".</summary>
public sealed class AuthOptions
{
    public const string Section = "Liaison:Auth";

    /// <summary>How long an API bearer token is valid; clients refresh it with the refresh token.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long a browser stays signed in without activity (sliding).</summary>
    public TimeSpan CookieLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How often a cookie is re-checked against the database (disabled users, changed roles).</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromMinutes(1);
}

public static class IdentitySetup
{
    /// <summary>Cookie for browsers, bearer for API clients: chosen per request by the Authorization header.</summary>
    public const string Scheme = "Liaison";

    public const string LoginPath = "/account/login";
    public const string AccessDeniedPath = "/account/denied";

    public static IServiceCollection AddLiaisonIdentity(this IServiceCollection services, IConfiguration configuration, StorageOptions storage)
    {
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        services.AddSingleton(options);

        if (storage.Provider == DatabaseProvider.PostgreSql)
        {
            services.AddDbContext<PostgresIdentityDbContext>(o => o.Use(storage.Provider, storage.ConnectionString, LiaisonIdentityDbContext.MigrationsHistoryTable));
            services.AddScoped<LiaisonIdentityDbContext>(sp => sp.GetRequiredService<PostgresIdentityDbContext>());
        }
        else
        {
            services.AddDbContext<SqliteIdentityDbContext>(o => o.Use(storage.Provider, storage.ConnectionString, LiaisonIdentityDbContext.MigrationsHistoryTable));
            services.AddScoped<LiaisonIdentityDbContext>(sp => sp.GetRequiredService<SqliteIdentityDbContext>());
        }

        services.AddSingleton<IMigratableContext, MigratableContext<LiaisonIdentityDbContext>>();
        services.AddDataProtection().SetApplicationName("Liaison").PersistKeysToDbContext<LiaisonIdentityDbContext>();

        services.AddIdentityCore<LiaisonUser>(o =>
            {
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<LiaisonIdentityDbContext>()
            .AddSignInManager<LiaisonSignInManager>()
            .AddClaimsPrincipalFactory<LiaisonClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();
        services.AddScoped<UserAccounts>();
        services.AddSingleton<DemoSignIns>();
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = options.RevalidationInterval);

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
                o.DefaultForbidScheme = Scheme;
                o.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(Scheme, "Cookie or bearer token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o =>
            {
                o.BearerTokenExpiration = options.TokenLifetime;
                o.RefreshTokenExpiration = options.RefreshTokenLifetime;
            })
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "liaison.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.ExpireTimeSpan = options.CookieLifetime;
            o.SlidingExpiration = true;
            o.LoginPath = LoginPath;
            o.LogoutPath = "/account/signout";
            o.AccessDeniedPath = AccessDeniedPath;
            // API callers get a status (written as problem details), never the HTML sign-in page.
            o.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
        });

        var authorization = services.AddAuthorizationBuilder();
        foreach (var (role, _) in Roles.All)
        {
            authorization.AddPolicy(role, p => p.RequireRole(role));
        }

        foreach (var (policy, roles) in Policies.AreaRoles)
        {
            authorization.AddPolicy(policy, p => p.RequireRole(roles));
        }

        authorization.AddPolicy(Policies.Tasks, p => p.RequireAuthenticatedUser());
        services.AddCascadingAuthenticationState();
        return services;
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsApi(context.Request))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    /// <summary>Bearer-token options of the API scheme (refresh uses its protector).</summary>
    internal static BearerTokenOptions BearerOptions(IServiceProvider services) =>
        services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<BearerTokenOptions>>().Get(IdentityConstants.BearerScheme);
}
