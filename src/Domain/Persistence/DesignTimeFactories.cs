using Microsoft.EntityFrameworkCore.Design;

namespace Liaison.Domain.Persistence;

// Used only by `dotnet ef migrations add`; the connection strings are never opened.
internal sealed class SqliteLiaisonDbContextFactory : IDesignTimeDbContextFactory<SqliteLiaisonDbContext>
{
    public SqliteLiaisonDbContext CreateDbContext(string[] args) =>
        (SqliteLiaisonDbContext)LiaisonDbContextFactory.Create(DatabaseProvider.Sqlite, "Data Source=design.db");
}

internal sealed class PostgresLiaisonDbContextFactory : IDesignTimeDbContextFactory<PostgresLiaisonDbContext>
{
    public PostgresLiaisonDbContext CreateDbContext(string[] args) =>
        (PostgresLiaisonDbContext)LiaisonDbContextFactory.Create(DatabaseProvider.PostgreSql, "Host=localhost;Database=design");
}
