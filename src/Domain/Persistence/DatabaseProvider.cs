namespace Liaison.Domain.Persistence;

/// <summary>The storage engines Liaison runs on. SQLite is the embedded default, PostgreSQL the production one.</summary>
public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

public static class DatabaseProviderNames
{
    public static readonly IReadOnlyList<string> All = Enum.GetNames<DatabaseProvider>();

    /// <summary>Parses a provider name as written in configuration; accepts "Postgres" and "Npgsql" as aliases.</summary>
    public static bool TryParse(string? value, out DatabaseProvider provider)
    {
        provider = DatabaseProvider.Sqlite;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var normalized = value.Trim();
        if (normalized.Equals("Postgres", StringComparison.OrdinalIgnoreCase)
            || normalized.Equals("Npgsql", StringComparison.OrdinalIgnoreCase))
        {
            provider = DatabaseProvider.PostgreSql;
            return true;
        }

        return Enum.TryParse(normalized, ignoreCase: true, out provider) && Enum.IsDefined(provider);
    }
}
