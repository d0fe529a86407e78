using Liaison.Domain.Persistence;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Liaison.Testing;

/// <summary>
/// A fresh, empty database on one provider: a SQLite file in a temp folder, or a new database on the
/// shared PostgreSQL cluster. Persistence tests take the provider as a theory parameter and run on both.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(DatabaseProvider provider, string connectionString, string? folder)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Folder = folder;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The temp folder holding the SQLite file; also usable as the app's data folder.</summary>
    public string? Folder { get; }

    /// <summary>Both providers, for [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))].</summary>
    public static TheoryData<DatabaseProvider> Providers => new() { DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql };

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, string hint = "test")
    {
        if (provider == DatabaseProvider.PostgreSql)
        {
            var server = await PostgresServer.GetAsync();
            return new TestDatabase(provider, await server.CreateDatabaseAsync(hint), folder: null);
        }

        var folder = Path.Combine(Path.GetTempPath(), "liaison-tests", $"{hint}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return new TestDatabase(provider, $"Data Source={Path.Combine(folder, "liaison.db")}", folder);
    }

    /// <summary>Settings that point the Host at this database.</summary>
    public IReadOnlyDictionary<string, string?> HostSettings() => new Dictionary<string, string?>
    {
        ["Liaison:Database:Provider"] = Provider.ToString(),
        ["ConnectionStrings:Liaison"] = ConnectionString,
        ["Liaison:DataDirectory"] = Folder ?? Path.Combine(Path.GetTempPath(), "liaison-tests", "pg-data"),
    };

    /// <summary>A domain DbContext on this database, migrated.</summary>
    public async Task<LiaisonDbContext> CreateMigratedContextAsync()
    {
        var context = CreateContext();
        await context.Database.MigrateAsync();
        return context;
    }

    /// <summary>The engine's DbContext on this database, migrated.</summary>
    public async Task<WorkflowsDbContext> CreateMigratedWorkflowsContextAsync()
    {
        var context = CreateWorkflowsContext();
        await context.Database.MigrateAsync();
        return context;
    }

    public WorkflowsDbContext CreateWorkflowsContext() => WorkflowsDbContextFactory.Create(Provider, ConnectionString);

    /// <summary>The application's messaging DbContext (notifications, deliveries, message templates) on this database.</summary>
    public Liaison.Host.Notifications.MessagingDbContext CreateMessagingContext() => Liaison.Host.Notifications.MessagingDbContext.Create(Provider, ConnectionString);

    public LiaisonDbContext CreateContext() => LiaisonDbContextFactory.Create(Provider, ConnectionString);

    public ValueTask DisposeAsync()
    {
        if (Folder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a background thread; the temp folder is cleaned by the OS.
            }
        }

        return ValueTask.CompletedTask;
    }
}
