using System.Net;
using System.Text.Json;
using AuthServer.Accounts;
using AuthServer.ApiKeys;
using AuthServer.Audit;
using AuthServer.Data;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Tests;

/// <summary>
/// Rolling a key's secret (README "Rolling a key's secret"): through the admin API, the token endpoint and keys presented
/// directly, with the fast paths on and off. The world's clock is moved forward past grace ends, and its client cache
/// is kept for a day, so a cached key must stop accepting the old secret by the rule alone.
/// </summary>
public abstract class KeySecretRollTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : AdminWorld
{
    private static string KeyPath(string accountId, string keyId) => $"/admin/v1/accounts/{accountId}/keys/{keyId}";

    [Fact]
    public async Task Both_secrets_work_during_the_grace_and_the_old_one_stops_at_its_end_even_when_the_key_was_cached()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode); // cached now

        var rolled = await RollAsync(key, new { graceHours = 1 });

        Assert.NotEqual(key.Secret, rolled.Secret);
        Assert.Equal(key.Key.KeyId, rolled.View.GetProperty("keyId").GetString());
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, rolled.Secret)).StatusCode);
        Assert.True(await ActiveDirectlyAsync(key.Secret));
        Assert.True(await ActiveDirectlyAsync(rolled.Secret));
        var previous = rolled.View.GetProperty("previousSecret");
        Assert.True(previous.GetProperty("accepted").GetBoolean());
        Assert.InRange(previous.GetProperty("graceEndsAt").GetDateTime(), DateTime.UtcNow.AddMinutes(59), DateTime.UtcNow.AddMinutes(61));

        world.Factory.Clock.Advance(TimeSpan.FromMinutes(61));
        ApiKeyView view;
        try
        {
            await Task.Delay(400); // a poll of the change feed at the new time, so the cached copy is trusted again

            Assert.Equal(HttpStatusCode.Unauthorized, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
            Assert.False(await ActiveDirectlyAsync(key.Secret));
            Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, rolled.Secret)).StatusCode);
            Assert.True(await ActiveDirectlyAsync(rolled.Secret));
            view = await ViewAsync(key.Key.KeyId);
        }
        finally
        {
            world.Factory.Clock.Advance(TimeSpan.FromMinutes(-61)); // the other tests' admin tokens live five minutes
        }

        Assert.False(view.PreviousSecret!.Accepted);
        Assert.Equal(key.Key.Scopes, view.Scopes);
        Assert.Equal(key.Key.Name, view.Name);
        Assert.Equal(key.Key.ExpiresAt, view.ExpiresAt);
    }

    [Fact]
    public async Task Ending_the_grace_early_stops_the_old_secret_at_once_and_a_second_end_is_a_conflict()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var rolled = await RollAsync(key, body: null);
        Assert.InRange(rolled.View.GetProperty("previousSecret").GetProperty("graceEndsAt").GetDateTime(), DateTime.UtcNow.AddHours(23.9), DateTime.UtcNow.AddHours(24.1));
        Assert.True(await ActiveDirectlyAsync(key.Secret));

        using var ended = await world.AdminAsync(HttpMethod.Post, KeyPath(world.Acme.Id, key.Key.KeyId) + "/roll/end", world.AdministratorToken);
        using var again = await world.AdminAsync(HttpMethod.Post, KeyPath(world.Acme.Id, key.Key.KeyId) + "/roll/end", world.AdministratorToken);

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.False((await ended.ReadJsonAsync()).GetProperty("previousSecret").GetProperty("accepted").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        Assert.False(await ActiveDirectlyAsync(key.Secret));
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, rolled.Secret)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_grace_of_zero_stops_the_old_secret_now()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);

        var rolled = await RollAsync(key, new { graceHours = 0 });

        Assert.Equal(HttpStatusCode.Unauthorized, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, rolled.Secret)).StatusCode);
        Assert.False(rolled.View.GetProperty("previousSecret").GetProperty("accepted").GetBoolean());
    }

    [Fact]
    public async Task Rolling_again_during_a_grace_stops_the_first_secret_at_once_and_gives_the_second_the_new_grace()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var first = await RollAsync(key, new { graceHours = 2 });

        var second = await RollAsync(key with { Secret = first.Secret }, new { graceHours = 1 });

        Assert.Equal(HttpStatusCode.Unauthorized, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        Assert.False(await ActiveDirectlyAsync(key.Secret));
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, first.Secret)).StatusCode);
        Assert.True(await ActiveDirectlyAsync(first.Secret));
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, second.Secret)).StatusCode);
        Assert.InRange(second.View.GetProperty("previousSecret").GetProperty("graceEndsAt").GetDateTime(), DateTime.UtcNow.AddMinutes(59), DateTime.UtcNow.AddMinutes(61));
    }

    [Fact]
    public async Task Rolling_a_revoked_key_is_refused_and_changes_nothing()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        await world.RevokeKeyAsync(key.Key.KeyId);

        using var response = await world.AdminAsync(HttpMethod.Post, KeyPath(world.Acme.Id, key.Key.KeyId) + "/roll", world.AdministratorToken, new { graceHours = 1 });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("authsk_", await response.Content.ReadAsStringAsync());
        Assert.Null((await ViewAsync(key.Key.KeyId)).PreviousSecret);
        Assert.Empty(await AuditActionsAsync(key.Key.KeyId, AuditActions.KeyRolled));
    }

    [Theory]
    [InlineData("{\"graceHours\": -1}")]
    [InlineData("{\"graceHours\": 169}")]
    [InlineData("{\"graceHours\": \"a day\"}")]
    [InlineData("{\"graceHours\": 1.5}")]
    [InlineData("{\"grace\": 1}")]
    public async Task A_bad_grace_is_a_400_problem_and_changes_nothing(string body)
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);

        using var response = await world.AdminAsync(HttpMethod.Post, KeyPath(world.Acme.Id, key.Key.KeyId) + "/roll", world.AdministratorToken, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Null((await ViewAsync(key.Key.KeyId)).PreviousSecret);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        Assert.Empty(await AuditActionsAsync(key.Key.KeyId, AuditActions.KeyRolled));
    }

    [Fact]
    public async Task Each_secret_has_its_own_last_used_time()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        var rolled = await RollAsync(key, new { graceHours = 1 });
        var atRoll = await ViewAsync(key.Key.KeyId);
        Assert.Null(atRoll.LastUsedAt);
        Assert.NotNull(atRoll.PreviousSecret!.LastUsedAt);

        await Task.Delay(50);
        var beforeOldUse = DateTime.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        var afterOldUse = await ViewWhenAsync(key.Key.KeyId, v => v.PreviousSecret?.LastUsedAt >= beforeOldUse.AddSeconds(-1));
        Assert.Null(afterOldUse.LastUsedAt);
        Assert.True(afterOldUse.PreviousSecret!.LastUsedAt >= beforeOldUse.AddSeconds(-1));

        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, rolled.Secret)).StatusCode);
        var afterNewUse = await ViewWhenAsync(key.Key.KeyId, v => v.LastUsedAt is not null);
        Assert.NotNull(afterNewUse.LastUsedAt);
        var oldUse = afterOldUse.PreviousSecret.LastUsedAt!.Value; // the new secret's use leaves the old one's time alone
        Assert.InRange(afterNewUse.PreviousSecret!.LastUsedAt!.Value, oldUse.AddMilliseconds(-1), oldUse.AddMilliseconds(1));
    }

    [Fact]
    public async Task Rolling_and_ending_the_grace_are_audited_and_emitted_as_events_without_the_secret()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var rolled = await RollAsync(key, new { graceHours = 3 });
        await world.AdminAsync(HttpMethod.Post, KeyPath(world.Acme.Id, key.Key.KeyId) + "/roll/end", world.AdministratorToken);

        var entries = await world.InScope<AuthDbContext, List<AuditEntry>>(db => db.AuditEntries.Where(e => e.Subject == key.Key.KeyId).ToListAsync());

        Assert.Contains(entries, e => e.Action == AuditActions.KeyRolled && e.AccountId == world.Acme.Id);
        Assert.Contains(entries, e => e.Action == AuditActions.KeyRollGraceEnded);
        Assert.All(entries, e => Assert.DoesNotContain(rolled.Secret, e.Details ?? ""));
        Assert.All(entries, e => Assert.DoesNotContain(key.Secret, e.Details ?? ""));
        Assert.All(entries, e => Assert.DoesNotContain("sha256:", e.Details ?? ""));

        using var events = await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{world.Acme.Id}/events?take=200", world.AdministratorToken);
        var body = await events.Content.ReadAsStringAsync();
        var types = (await events.ReadJsonAsync()).GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("keyId").GetString() == key.Key.KeyId).Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Contains(AuditActions.KeyRolled, types);
        Assert.Contains(AuditActions.KeyRollGraceEnded, types);
        Assert.DoesNotContain(rolled.Secret, body);
        Assert.DoesNotContain(key.Secret, body);
    }

    [Fact]
    public async Task Revoking_a_rolled_key_ends_both_secrets()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        var rolled = await RollAsync(key, new { graceHours = 1 });

        await world.RevokeKeyAsync(key.Key.KeyId);

        Assert.Equal(HttpStatusCode.Unauthorized, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await world.Http.RequestTokenAsync(key.Key.KeyId, rolled.Secret)).StatusCode);
        Assert.False(await ActiveDirectlyAsync(key.Secret));
        Assert.False(await ActiveDirectlyAsync(rolled.Secret));
    }

    private async Task<(string Secret, JsonElement View)> RollAsync(TestKey key, object? body)
    {
        using var response = await world.AdminAsync(HttpMethod.Post, KeyPath(world.Acme.Id, key.Key.KeyId) + "/roll", world.AdministratorToken, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var json = await response.ReadJsonAsync();
        return (json.GetProperty("secret").GetString()!, json.GetProperty("key").Clone());
    }

    private async Task<bool> ActiveDirectlyAsync(string secret) =>
        (await world.Http.IntrospectAsync(world.Invoices.ClientId, world.Invoices.ClientSecret, secret)).GetProperty("active").GetBoolean();

    private Task<ApiKeyView> ViewAsync(string keyId) =>
        world.InScope<ApiKeyQueries, ApiKeyView>(queries => queries.GetAsync(AccountScope.Every, keyId, CancellationToken.None));

    /// <summary>The key's view once <paramref name="ready"/> holds (uses are written in batches), or after five seconds.</summary>
    private async Task<ApiKeyView> ViewWhenAsync(string keyId, Func<ApiKeyView, bool> ready)
    {
        var view = await ViewAsync(keyId);
        for (var waited = 0; !ready(view) && waited < 5000; waited += 100)
        {
            await Task.Delay(100);
            view = await ViewAsync(keyId);
        }

        return view;
    }

    private Task<List<string>> AuditActionsAsync(string keyId, string action) =>
        world.InScope<AuthDbContext, List<string>>(db => db.AuditEntries.Where(e => e.Subject == keyId && e.Action == action).Select(e => e.Action).ToListAsync());
}

/// <summary>A client cached for a day: only the rule can stop a replaced secret at its grace end.</summary>
public class RollWorld : AdminWorld
{
    public RollWorld() : this(new Dictionary<string, string?> { ["Clients:MaxCacheAge"] = "1.00:00:00" })
    {
    }

    protected RollWorld(IDictionary<string, string?> settings) : base(settings)
    {
    }
}

public sealed class RollWorldThroughOpenIddict() : RollWorld(new Dictionary<string, string?>
{
    ["Clients:MaxCacheAge"] = "1.00:00:00",
    ["Tokens:FastPaths"] = "false",
});

public sealed class KeySecretRollTestsWithFastPaths(RollWorld world) : KeySecretRollTests<RollWorld>(world);

public sealed class KeySecretRollTestsThroughOpenIddict(RollWorldThroughOpenIddict world) : KeySecretRollTests<RollWorldThroughOpenIddict>(world);
