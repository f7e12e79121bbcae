using AuthServer.Accounts;
using AuthServer.ApiKeys;
using AuthServer.Failures;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

public abstract class KeyLimitTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : TestWorld
{
    [Fact]
    public async Task An_account_gets_three_active_keys_by_default_and_a_clear_error_after()
    {
        var account = await world.CreateAccountAsync("Default limit");
        for (var i = 0; i < 3; i++)
        {
            await world.CreateKeyAsync(["invoices:read"], accountId: account.Id);
        }

        var error = await Assert.ThrowsAsync<KeyLimitReachedException>(() => world.CreateKeyAsync(["invoices:read"], accountId: account.Id));

        Assert.Equal(3, error.Limit);
        Assert.Equal(3, error.ActiveKeys);
        Assert.Contains("limit is 3", error.Message);
        Assert.Equal(3, (await Keys(account.Id)).Count);
    }

    [Fact]
    public async Task Revoked_and_expired_keys_do_not_count()
    {
        var account = await world.CreateAccountAsync("Churn", keyLimit: 1);
        var first = await world.CreateKeyAsync(["invoices:read"], accountId: account.Id);
        await world.RevokeKeyAsync(first.Key.KeyId);
        var second = await world.CreateKeyAsync(["invoices:read"], accountId: account.Id, expiresAt: DateTime.UtcNow.AddHours(1));
        await world.ExpireKeyAsync(second.Key.KeyId);

        var third = await world.CreateKeyAsync(["invoices:read"], accountId: account.Id);

        Assert.NotNull(third);
        // Reviving the expired key would make two active keys: refused.
        await Assert.ThrowsAsync<KeyLimitReachedException>(() => world.InScope<ApiKeyLifecycle, ApiKeyView>(
            l => l.ExtendAsync(AccountScope.Every, second.Key.KeyId, DateTime.UtcNow.AddDays(1), TestWorld.TestActor, CancellationToken.None)));
    }

    [Fact]
    public async Task An_operator_can_raise_and_reset_the_limit()
    {
        var account = await world.CreateAccountAsync("Raised");

        var raised = await world.InScope<AccountService, AccountView>(s => s.SetKeyLimitAsync(account.Id, 5, TestWorld.TestActor, CancellationToken.None));
        var reset = await world.InScope<AccountService, AccountView>(s => s.SetKeyLimitAsync(account.Id, null, TestWorld.TestActor, CancellationToken.None));

        Assert.Equal(5, raised.KeyLimit);
        Assert.True(raised.HasOwnLimit);
        Assert.Equal(3, reset.KeyLimit);
        Assert.False(reset.HasOwnLimit);
        await Assert.ThrowsAsync<InvalidFieldException>(() => world.InScope<AccountService, AccountView>(s => s.SetKeyLimitAsync(account.Id, -1, TestWorld.TestActor, CancellationToken.None)));
        await Assert.ThrowsAsync<NotFoundException>(() => world.InScope<AccountService, AccountView>(s => s.SetKeyLimitAsync("acct_nope", 2, TestWorld.TestActor, CancellationToken.None)));
    }

    [Fact]
    public async Task Twenty_parallel_creates_against_a_limit_of_three_create_exactly_three_keys()
    {
        var account = await world.CreateAccountAsync("Race", keyLimit: 3);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            try
            {
                return (await world.CreateKeyAsync(["invoices:read"], accountId: account.Id)).Key.KeyId;
            }
            catch (KeyLimitReachedException)
            {
                return null;
            }
        }));

        var created = attempts.Where(id => id is not null).ToList();
        Assert.Equal(3, created.Count);
        Assert.Equal(3, created.Distinct().Count());
        Assert.Equal(created.Order(), (await Keys(account.Id)).Select(k => k.KeyId).Order());
    }

    private Task<IReadOnlyList<ApiKeyView>> Keys(string accountId) =>
        world.InScope<ApiKeyQueries, IReadOnlyList<ApiKeyView>>(async q => (await q.ListAsync(AccountScope.Only(accountId), ApiKeyStatus.Active, 0, 200, CancellationToken.None)).Items);
}

public sealed class KeyLimitTestsOnSqlite(TestWorld world) : KeyLimitTests<TestWorld>(world);

public sealed class KeyLimitTestsOnPostgreSql(PostgresWorld world) : KeyLimitTests<PostgresWorld>(world);
