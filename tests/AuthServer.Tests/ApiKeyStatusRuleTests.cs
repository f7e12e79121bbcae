using AuthServer.ApiKeys;
using AuthServer.Data;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Tests;

/// <summary>
/// The key-status rule is written as an expression for queries and as a function for rows in memory: for keys in
/// every state (active, expiring later, expired just now and long ago, revoked with and without an expiry), the
/// database's answer to each status query is exactly the keys whose in-memory status it is.
/// </summary>
public abstract class ApiKeyStatusRuleTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : TestWorld
{
    [Fact]
    public async Task The_query_expression_and_the_in_memory_rule_agree_on_every_status()
    {
        var account = await world.CreateAccountAsync("Status rule " + Guid.NewGuid().ToString("N")[..6], keyLimit: 100);
        var now = DateTime.UtcNow;
        var states = new (DateTime? ExpiresAt, bool Revoked)[]
        {
            (null, false), (now.AddDays(1), false), (now.AddSeconds(-1), false), (now.AddYears(-1), false), (null, true), (now.AddDays(1), true), (now.AddDays(-1), true),
        };
        var ids = new List<string>();
        foreach (var _ in states)
        {
            ids.Add((await world.CreateKeyAsync(["invoices:read"], accountId: account.Id)).Key.KeyId);
        }

        await using var scope = world.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        for (var i = 0; i < states.Length; i++)
        {
            var (expiresAt, revoked) = states[i];
            await db.ApiKeys.Where(k => k.Id == ids[i]).ExecuteUpdateAsync(set => set
                .SetProperty(k => k.ExpiresAt, expiresAt)
                .SetProperty(k => k.RevokedAt, revoked ? now.AddMinutes(-1) : null));
        }

        var rows = await db.ApiKeys.AsNoTracking().Where(k => k.AccountId == account.Id).ToListAsync();
        Assert.Equal(states.Length, rows.Count);
        foreach (var status in Enum.GetValues<ApiKeyStatus>())
        {
            var queried = await db.ApiKeys.AsNoTracking().Where(k => k.AccountId == account.Id).Where(ApiKeyStatusRule.HasStatusAt(status, now)).Select(k => k.Id).ToListAsync();
            Assert.Equal(rows.Where(k => k.StatusAt(now) == status).Select(k => k.Id).Order(), queried.Order());
        }

        Assert.Equal(3, rows.Count(k => k.StatusAt(now) == ApiKeyStatus.Revoked));
        Assert.Equal(2, rows.Count(k => k.StatusAt(now) == ApiKeyStatus.Expired));
    }
}

public sealed class ApiKeyStatusRuleTestsOnSqlite(TestWorld world) : ApiKeyStatusRuleTests<TestWorld>(world);

public sealed class ApiKeyStatusRuleTestsOnPostgreSql(PostgresWorld world) : ApiKeyStatusRuleTests<PostgresWorld>(world);
