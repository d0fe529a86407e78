using Liaison.Domain.Persistence;
using Liaison.Host;
using Liaison.Host.Storage;
using Microsoft.Extensions.Configuration;

namespace Liaison.Host.Tests;

public sealed class StorageOptionsTests
{
    private static StorageOptions Read(params (string Key, string? Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        return StorageOptions.FromConfiguration(configuration, Path.GetTempPath());
    }

    [Fact]
    public void Defaults_to_sqlite_in_the_data_folder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"liaison-data-{Guid.NewGuid():N}");
        var options = Read(("Liaison:DataDirectory", folder));

        Assert.Equal(DatabaseProvider.Sqlite, options.Provider);
        Assert.Equal(folder, options.DataDirectory);
        Assert.Contains(Path.Combine(folder, "liaison.db"), options.ConnectionString, StringComparison.Ordinal);
        Assert.True(Directory.Exists(folder), "the data folder is created on first start");
        Directory.Delete(folder);
    }

    [Theory]
    [InlineData("PostgreSql")]
    [InlineData("postgres")]
    [InlineData("Npgsql")]
    public void Accepts_postgres_names(string name)
    {
        var options = Read(("Liaison:Database:Provider", name), ("ConnectionStrings:Liaison", "Host=db;Database=liaison;Username=u;Password=secret"));

        Assert.Equal(DatabaseProvider.PostgreSql, options.Provider);
        Assert.DoesNotContain("secret", options.Describe(), StringComparison.Ordinal);
        Assert.Equal("PostgreSQL (db:5432/liaison)", options.Describe());
    }

    [Fact]
    public void Postgres_prepares_recurring_statements_unless_the_connection_string_says_otherwise()
    {
        var defaulted = new Npgsql.NpgsqlConnectionStringBuilder(Read(("Liaison:Database:Provider", "PostgreSql"), ("ConnectionStrings:Liaison", "Host=db;Database=liaison;Username=u;Password=secret")).ConnectionString);
        Assert.Equal(StorageOptions.DefaultMaxAutoPrepare, defaulted.MaxAutoPrepare);
        Assert.Equal("secret", defaulted.Password);
        Assert.Equal("liaison", defaulted.Database);

        var off = new Npgsql.NpgsqlConnectionStringBuilder(Read(("Liaison:Database:Provider", "PostgreSql"), ("ConnectionStrings:Liaison", "Host=db;Database=liaison;Max Auto Prepare=0")).ConnectionString);
        Assert.Equal(0, off.MaxAutoPrepare);
        var own = new Npgsql.NpgsqlConnectionStringBuilder(Read(("Liaison:Database:Provider", "PostgreSql"), ("ConnectionStrings:Liaison", "Host=db;Database=liaison;MaxAutoPrepare=8")).ConnectionString);
        Assert.Equal(8, own.MaxAutoPrepare);
    }

    [Fact]
    public void Unknown_provider_names_the_setting()
    {
        var ex = Assert.Throws<StartupConfigurationException>(() => Read(("Liaison:Database:Provider", "Oracle")));

        Assert.Equal("Liaison:Database:Provider", ex.Setting);
        Assert.Contains("Oracle", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Sqlite, PostgreSql", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_without_connection_string_names_the_setting()
    {
        var ex = Assert.Throws<StartupConfigurationException>(() => Read(("Liaison:Database:Provider", "PostgreSql")));

        Assert.Equal("ConnectionStrings:Liaison", ex.Setting);
    }

    [Fact]
    public void Malformed_postgres_connection_string_names_the_setting()
    {
        var ex = Assert.Throws<StartupConfigurationException>(() =>
            Read(("Liaison:Database:Provider", "PostgreSql"), ("ConnectionStrings:Liaison", "Hots=db;;Nonsense")));

        Assert.Equal("ConnectionStrings:Liaison", ex.Setting);
    }
}
