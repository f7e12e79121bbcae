using System.Net;
using AuthServer.ApiKeys;
using AuthServer.Data;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AuthServer.Tests;

/// <summary>
/// A key that existed before the KeyEnvironments migration, with a secret of the shape made then, is live after it
/// and keeps working: on SQLite and PostgreSQL, each on a database of its own (the test migrates it down and up).
/// </summary>
public sealed class KeyEnvironmentMigrationTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task A_key_made_before_environments_existed_is_live_after_the_migration_and_its_secret_still_works(string provider)
    {
        TestWorld world = provider == "Sqlite" ? new TestWorld() : new PostgresWorld();
        await world.InitializeAsync();
        try
        {
            await KeyMadeBeforeEnvironmentsIsLiveAsync(world);
        }
        finally
        {
            await world.DisposeAsync();
        }
    }

    private static async Task KeyMadeBeforeEnvironmentsIsLiveAsync(TestWorld world)
    {
        var key = await world.WithSecretOfTheOldShapeAsync(await world.CreateKeyAsync(["invoices:read"], environment: KeyEnvironment.Test));

        await using (var scope = world.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            var migrations = db.Database.GetMigrations().ToList();
            var before = migrations[migrations.FindIndex(m => m.EndsWith("_KeyEnvironments", StringComparison.Ordinal)) - 1];
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(before); // the schema before environments: no column, so no environment
            await migrator.MigrateAsync();
            Assert.Equal(KeyEnvironment.Live, await db.ApiKeys.Where(k => k.Id == key.Key.KeyId).Select(k => k.Environment).SingleAsync());
        }

        world.Services.GetRequiredService<Clients.ClientDirectory>().Evict(key.Key.KeyId);
        using var response = await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.ReadJsonAsync()).GetProperty("access_token").GetString()!;
        Assert.Equal("live", new JsonWebToken(token).GetPayloadValue<string>("environment"));
    }
}
