using Liaison.Domain.Persistence;
using Liaison.Testing;
using Liaison.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Liaison.Workflows.Tests;

public sealed class WorkflowSchemaTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Engine_migrations_match_the_model_and_sit_beside_the_domain(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "wfschema");
        await using var domain = await database.CreateMigratedContextAsync();
        await using var engine = await database.CreateMigratedWorkflowsContextAsync();

        Assert.False(engine.Database.HasPendingModelChanges(), $"the {provider} engine model has changes without a migration");
        Assert.Empty(await engine.Database.GetPendingMigrationsAsync());
        Assert.Empty(await domain.Database.GetPendingMigrationsAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Only_one_version_of_a_definition_can_be_published(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "wfpublished");
        await using var db = await database.CreateMigratedWorkflowsContextAsync();
        static DefinitionVersionRecord Version(int v) => new()
        {
            Id = Guid.NewGuid(),
            DefinitionId = "demo",
            Version = v,
            Name = "Demo",
            Json = "{}",
            ContentHash = v.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Status = DefinitionStatus.Published,
            IsPublished = true,
        };

        db.Definitions.Add(Version(1));
        await db.SaveChangesAsync();
        db.Definitions.Add(Version(2));

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }
}
