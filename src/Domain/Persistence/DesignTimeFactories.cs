using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Liaison.Domain.Persistence;

// Used only by `dotnet ef migrations add`; the connection strings are never opened.
internal sealed class SqliteLiaisonDbContextFactory : IDesignTimeDbContextFactory<SqliteLiaisonDbContext>
{
    public SqliteLiaisonDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteLiaisonDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresLiaisonDbContextFactory : IDesignTimeDbContextFactory<PostgresLiaisonDbContext>
{
    public PostgresLiaisonDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresLiaisonDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
