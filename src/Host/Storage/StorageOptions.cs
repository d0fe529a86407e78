using Liaison.Domain.Persistence;

namespace Liaison.Host.Storage;

/// <summary>
/// Where Liaison keeps its data. Bound from the "Liaison:Database" section and the "Liaison" connection
/// string; see README "Switching to PostgreSQL".
/// </summary>
public sealed class StorageOptions
{
    public const string ProviderSetting = "Liaison:Database:Provider";
    public const string ConnectionStringSetting = "ConnectionStrings:Liaison";
    public const string DataDirectorySetting = "Liaison:DataDirectory";

    public required DatabaseProvider Provider { get; init; }

    public required string ConnectionString { get; init; }

    /// <summary>Folder of the embedded database; null on PostgreSQL.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Reads and checks the storage settings; a bad one stops start-up with a message naming it.</summary>
    public static StorageOptions FromConfiguration(IConfiguration configuration, string contentRoot)
    {
        var providerName = configuration[ProviderSetting];
        DatabaseProvider provider;
        if (string.IsNullOrWhiteSpace(providerName))
        {
            provider = DatabaseProvider.Sqlite;
        }
        else if (!DatabaseProviderNames.TryParse(providerName, out provider))
        {
            throw new StartupConfigurationException(
                ProviderSetting,
                $"unknown database provider '{providerName}'. Use one of: {string.Join(", ", DatabaseProviderNames.All)}.");
        }

        var connectionString = configuration[ConnectionStringSetting];
        if (provider == DatabaseProvider.PostgreSql)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new StartupConfigurationException(
                    ConnectionStringSetting,
                    "the PostgreSQL provider needs a connection string, e.g. \"Host=localhost;Database=liaison;Username=liaison;Password=...\".");
            }

            try
            {
                connectionString = WithAutoPrepare(connectionString);
            }
            catch (ArgumentException ex)
            {
                throw new StartupConfigurationException(ConnectionStringSetting, $"the PostgreSQL connection string is not valid: {ex.Message}");
            }

            return new StorageOptions { Provider = provider, ConnectionString = connectionString };
        }

        var dataDirectory = Path.GetFullPath(configuration[DataDirectorySetting] ?? "data", contentRoot);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = $"Data Source={Path.Combine(dataDirectory, "liaison.db")}";
        }

        try
        {
            var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
            var file = builder.DataSource;
            if (!string.IsNullOrEmpty(file) && file != ":memory:" && builder.Mode != Microsoft.Data.Sqlite.SqliteOpenMode.Memory)
            {
                var folder = Path.GetDirectoryName(Path.GetFullPath(file, contentRoot));
                if (folder is not null)
                {
                    Directory.CreateDirectory(folder);
                    dataDirectory = folder;
                }
            }
        }
        catch (ArgumentException ex)
        {
            throw new StartupConfigurationException(ConnectionStringSetting, $"the SQLite connection string is not valid: {ex.Message}");
        }
        catch (IOException ex)
        {
            throw new StartupConfigurationException(DataDirectorySetting, $"cannot create the data folder: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StartupConfigurationException(DataDirectorySetting, $"cannot create the data folder: {ex.Message}");
        }

        return new StorageOptions { Provider = provider, ConnectionString = connectionString, DataDirectory = dataDirectory };
    }

    /// <summary>Statements prepared per pooled connection unless the connection string says otherwise.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>
    /// Lets Npgsql prepare the engine's recurring statements (claim, instance update, journal insert), so the
    /// server skips parsing and planning them. A connection string that names "Max Auto Prepare" keeps its own
    /// value (0 turns it off, e.g. behind a transaction-mode pooler that cannot keep prepared statements).
    /// </summary>
    internal static string WithAutoPrepare(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare"))
        {
            return connectionString;
        }

        builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        return builder.ConnectionString;
    }

    /// <summary>A description safe to log or show: no password.</summary>
    public string Describe()
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            return $"SQLite ({new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource})";
        }

        var b = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        return $"PostgreSQL ({b.Host}:{b.Port}/{b.Database})";
    }
}
