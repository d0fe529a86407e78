using System.Security.Cryptography;
using System.Text;
using Liaison.Domain.Persistence;
using Liaison.Host.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Host.Identity;

public sealed record DemoSignIn(string Role, string UserName, string Password, string DisplayName);

/// <summary>The demo sign-ins created by this process (tests read them here; people read the console).</summary>
public sealed class DemoSignIns
{
    private readonly List<DemoSignIn> created = [];

    public IReadOnlyList<DemoSignIn> Created
    {
        get
        {
            lock (created)
            {
                return created.ToList();
            }
        }
    }

    internal void Add(IEnumerable<DemoSignIn> signIns)
    {
        lock (created)
        {
            created.AddRange(signIns);
        }
    }
}

/// <summary>Seeds the roles on every start and, when demo users are on, one user per role on the first.</summary>
public static partial class IdentitySeeder
{
    public const string DemoSetting = "Liaison:Demo:Enabled";
    public const string DemoFileName = "demo-users.txt";
    public const string DemoUnit = "demo-unit";
    public const string DemoDeputy = "demo-deputy";

    private static readonly Dictionary<string, string> DemoUserNames = new()
    {
        [Roles.Deputy] = "deputy",
        [Roles.Citizen] = "citizen",
        [Roles.LiaisonOffice] = "office",
        [Roles.CommitteeMember] = "committee",
        [Roles.SpecialCommittee] = "special",
        [Roles.UnitHandler] = "handler",
        [Roles.UnitHead] = "head",
        [Roles.Leader] = "leader",
        [Roles.Designer] = "designer",
        [Roles.Admin] = "admin",
    };

    /// <summary>Demo users are on when configured so, else only on the embedded database in Development (`dotnet run`).</summary>
    public static bool DemoEnabled(IConfiguration configuration, IHostEnvironment environment, StorageOptions storage) =>
        configuration.GetValue<bool?>(DemoSetting) ?? (storage.Provider == DatabaseProvider.Sqlite && environment.IsDevelopment());

    public static async Task RunAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var (name, _) in Roles.All)
        {
            if (!await roles.RoleExistsAsync(name))
            {
                var result = await roles.CreateAsync(new IdentityRole(name));
                if (!result.Succeeded && !await roles.RoleExistsAsync(name))
                {
                    // Another node seeded it at the same moment, or a real failure.
                    throw new InvalidOperationException($"cannot create role {name}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
                }
            }
        }

        var storage = app.Services.GetRequiredService<StorageOptions>();
        if (!DemoEnabled(app.Configuration, app.Environment, storage))
        {
            return;
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<LiaisonUser>>();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();

        // Demo users act for a real unit and deputy of the demo city when it exists.
        var domain = scope.ServiceProvider.GetRequiredService<Liaison.Domain.Persistence.LiaisonDbContext>();
        var demoUnit = await domain.HandlingUnits.FirstOrDefaultAsync(u => u.Name == Demo.DemoDataSeeder.DemoUnitName, cancellationToken);
        var demoDeputy = await domain.Deputies.FirstOrDefaultAsync(d => d.PublicCode == Demo.DemoDataSeeder.DemoDeputyCode, cancellationToken);
        var unitClaim = demoUnit?.Id.ToString() ?? DemoUnit;
        var deputyClaim = demoDeputy?.Id.ToString() ?? DemoDeputy;
        var demoLeader = await domain.Leaders.Where(l => l.Name == Demo.DemoDataSeeder.DemoLeaderName).Select(l => (Guid?)l.Id).FirstOrDefaultAsync(cancellationToken);
        var created = new List<DemoSignIn>();
        foreach (var (role, chinese) in Roles.All)
        {
            var userName = DemoUserNames[role];
            if (await users.FindByNameAsync(userName) is not null)
            {
                continue;
            }

            var password = GeneratePassword();
            var displayName = $"演示{chinese}";
            await accounts.CreateAsync(
                new CreateUserRequest(
                    userName,
                    displayName,
                    password,
                    [role],
                    role is Roles.UnitHandler or Roles.UnitHead ? unitClaim : null,
                    role == Roles.Deputy ? deputyClaim : null,
                    role == Roles.Leader ? demoLeader?.ToString() : null),
                cancellationToken);
            if (role == Roles.UnitHead && demoUnit is not null && await users.FindByNameAsync(userName) is { } head)
            {
                // The head-of-unit rule: only this user may approve the demo unit's replies.
                demoUnit.HeadUserId = head.Id;
                demoUnit.HeadName = displayName;
                await domain.SaveChangesAsync(cancellationToken);
            }

            created.Add(new DemoSignIn(role, userName, password, displayName));
        }

        var file = storage.DataDirectory is null ? null : Path.Combine(storage.DataDirectory, DemoFileName);
        if (created.Count == 0)
        {
            LogDemoUsersExist(app.Logger, file ?? "the console output of the first start");
            return;
        }

        app.Services.GetRequiredService<DemoSignIns>().Add(created);
        var text = Describe(created);
        // Straight to the console, not the log: passwords must not end up in log storage.
        await Console.Out.WriteAsync(text);
        if (file is not null)
        {
            await File.AppendAllTextAsync(file, text, cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        LogDemoUsersCreated(app.Logger, created.Count, file is null ? "printed to the console" : $"printed to the console and saved in {file}");
    }

    private static string Describe(IReadOnlyList<DemoSignIn> created)
    {
        var text = new StringBuilder();
        text.AppendLine("Liaison 演示账户 / demo users (密码只显示一次 / passwords are shown once):");
        foreach (var signIn in created)
        {
            text.AppendLine($"  {signIn.Role,-17} {signIn.UserName,-10} {signIn.Password}");
        }

        return text.ToString();
    }

    /// <summary>Fits Identity's password rules (length, digit, upper, lower) and is easy to type.</summary>
    internal static string GeneratePassword() =>
        RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZ", 2)
        + RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz", 6)
        + "-"
        + RandomNumberGenerator.GetString("23456789", 4);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Count} demo users (one per role); their sign-ins were {Where}")]
    private static partial void LogDemoUsersCreated(ILogger logger, int count, string where);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo users are on; their sign-ins are in {Where}")]
    private static partial void LogDemoUsersExist(ILogger logger, string where);
}
