using AuthServer.ApiKeys;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.Tests;

/// <summary>docs/design.md decision 2: issuing and introspecting tokens reads and writes nothing per request.</summary>
public sealed class DatabaseWorkPerTokenTests(DatabaseWorkPerTokenTests.World world) : IClassFixture<DatabaseWorkPerTokenTests.World>
{
    // Hourly expiry checks (the first one at start): in between, the only background SQL is the two feeds' polls.
    public sealed class World() : TestWorld(new Dictionary<string, string?> { ["ApiKeys:UsageFlushInterval"] = "01:00:00", ["Events:ExpiryCheckInterval"] = "01:00:00" });

    [Fact]
    public async Task Tokens_and_introspection_after_the_first_request_send_no_sql_but_the_change_feed_poll()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        await ChangeFeedHasSeenAsync(); // else the creation, seen after the first request, evicts what it cached
        var first = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        await world.Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, first);

        var mark = world.Factory.Sql.Mark();
        for (var i = 0; i < 50; i++)
        {
            var token = await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
            await world.Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, token);
        }

        await WaitForChangeFeedPollAsync(mark); // proves the recorder sees this server's SQL
        var commands = world.Factory.Sql.Since(mark);
        var other = commands.Where(sql => !IsFeedPoll(sql)).ToList();
        Assert.Empty(other);
    }

    [Fact]
    public async Task Introspecting_a_keys_secret_after_the_first_request_sends_no_sql_but_the_change_feed_poll()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        await ChangeFeedHasSeenAsync(); // else the creation, seen after the first request, evicts what it cached
        await DirectKeys.SendAsync(world.Http, world.Invoices.ClientId, world.Invoices.ClientSecret, key.Secret, "api_key");

        var mark = world.Factory.Sql.Mark();
        for (var i = 0; i < 50; i++)
        {
            using var response = await DirectKeys.SendAsync(world.Http, world.Invoices.ClientId, world.Invoices.ClientSecret, key.Secret, "api_key");
            Assert.True((await response.ReadJsonAsync()).GetProperty("active").GetBoolean());
        }

        await WaitForChangeFeedPollAsync(mark);
        Assert.All(world.Factory.Sql.Since(mark), sql => Assert.True(IsFeedPoll(sql), sql));
    }

    /// <summary>Two polls after now: the second began after everything committed before this call.</summary>
    private async Task ChangeFeedHasSeenAsync()
    {
        await WaitForChangeFeedPollAsync(world.Factory.Sql.Mark());
        await WaitForChangeFeedPollAsync(world.Factory.Sql.Mark());
    }

    private async Task WaitForChangeFeedPollAsync(int mark)
    {
        for (var attempt = 0; attempt < 100 && !world.Factory.Sql.Since(mark).Any(IsChangeFeedPoll); attempt++)
        {
            await Task.Delay(50);
        }

        Assert.Contains(world.Factory.Sql.Since(mark), IsChangeFeedPoll);
    }

    private static bool IsChangeFeedPoll(string sql) => sql.Contains("\"ClientChanges\"", StringComparison.Ordinal);

    /// <summary>
    /// The change feed's poll, the revocation feed's (the lifecycle events) or the webhook deliverer's (due deliveries):
    /// each once a second per instance, not per request. (The deliverer's was missing here: a run whose requests spanned
    /// one of its polls failed.)
    /// </summary>
    private static bool IsFeedPoll(string sql) => IsChangeFeedPoll(sql)
        || sql.Contains("\"LifecycleEvents\"", StringComparison.Ordinal)
        || sql.Contains("FROM \"WebhookDeliveries\"", StringComparison.Ordinal);
}

/// <summary>"Last used" is batched into the key's own row, never the OpenIddict application row.</summary>
public sealed class LastUsedTests(TestWorld world) : IClassFixture<TestWorld>
{
    [Fact]
    public async Task Last_used_is_written_in_batches_at_most_once_per_key_per_interval()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var tokenBefore = await ConcurrencyTokenAsync(key.Key.KeyId);

        var mark = world.Factory.Sql.Mark();
        var started = DateTime.UtcNow;
        for (var i = 0; i < 40; i++)
        {
            await world.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(500)); // more than one flush interval (200 ms in tests)
        var elapsed = DateTime.UtcNow - started;

        var commands = world.Factory.Sql.Since(mark);
        var updates = commands.Where(sql => sql.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(updates.Count > 0, $"no UPDATE among {commands.Count} commands");
        Assert.All(updates, sql => Assert.Contains("\"ApiKeys\"", sql));
        Assert.InRange(updates.Count, 1, (int)(elapsed / TimeSpan.FromMilliseconds(200)) + 1);

        var stored = await world.InScope<ApiKeyQueries, ApiKeyView>(q => q.GetAsync(AuthServer.Accounts.AccountScope.Every, key.Key.KeyId, CancellationToken.None));
        Assert.InRange(stored.LastUsedAt!.Value, started.AddSeconds(-1), DateTime.UtcNow);
        Assert.Equal(tokenBefore, await ConcurrencyTokenAsync(key.Key.KeyId));
    }

    private async Task<string?> ConcurrencyTokenAsync(string keyId)
    {
        await using var scope = world.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthServer.Data.AuthDbContext>();
        return await db.Set<OpenIddictEntityFrameworkCoreApplication>().Where(a => a.ClientId == keyId).Select(a => a.ConcurrencyToken).FirstAsync();
    }
}
