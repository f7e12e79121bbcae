using System.Net;
using System.Text.Json;
using AuthServer.Accounts;
using AuthServer.Admin;
using AuthServer.Events;
using AuthServer.Tests.Infrastructure;
using AuthServer.Users;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Tests;

/// <summary>
/// The event log: every change of a key or of an account's members is an event, written in the change's own
/// transaction (a change that fails leaves neither), read at <c>GET /admin/v1/accounts/{id}/events</c>.
/// </summary>
public abstract class LifecycleEventTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : AdminWorld
{
    private async Task<List<JsonElement>> EventsAsync(string accountId, string? token = null)
    {
        using var response = await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{accountId}/events?take=200", token ?? world.OperatorToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.ReadJsonAsync()).GetProperty("items").EnumerateArray().Reverse()];
    }

    private static List<string> TypesOf(IEnumerable<JsonElement> events, string keyId) =>
        [.. events.Where(e => e.GetProperty("keyId").GetString() == keyId).Select(e => e.GetProperty("type").GetString()!)];

    [Fact]
    public async Task Every_change_of_a_key_is_an_event_in_the_order_made_with_a_stable_id_its_account_and_key_and_never_a_secret()
    {
        var account = await world.CreateAccountAsync("Events " + Guid.NewGuid().ToString("N")[..8]);
        var administrator = await world.TokenForAsync([AdminScopes.ManageKeys], account.Id);
        var keys = $"/admin/v1/accounts/{account.Id}/keys";
        using var created = await world.AdminAsync(HttpMethod.Post, keys, administrator, new { name = "billing", scopes = new[] { "invoices:read" }, expiresAt = DateTime.UtcNow.AddDays(30) });
        var body = await created.ReadJsonAsync();
        var keyId = body.GetProperty("key").GetProperty("keyId").GetString()!;
        var secret = body.GetProperty("secret").GetString()!;

        using (await world.AdminAsync(HttpMethod.Patch, $"{keys}/{keyId}", administrator, new { name = "billing v2", expiresAt = DateTime.UtcNow.AddDays(60) })) { }
        using (await world.AdminAsync(HttpMethod.Post, $"{keys}/{keyId}/revoke", administrator)) { }

        var events = await EventsAsync(account.Id, administrator);
        Assert.Equal(["key.created", "key.renamed", "key.extended", "key.revoked"], TypesOf(events, keyId));
        var ofKey = events.Where(e => e.GetProperty("keyId").GetString() == keyId).ToList();
        Assert.All(ofKey, e =>
        {
            Assert.StartsWith("evt_", e.GetProperty("id").GetString());
            Assert.Equal(account.Id, e.GetProperty("accountId").GetString());
            Assert.Equal(keyId, e.GetProperty("subject").GetString());
            Assert.True(e.GetProperty("occurredAt").GetDateTime() > DateTime.UtcNow.AddMinutes(-5));
        });
        Assert.Equal(ofKey.Count, ofKey.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal("billing v2", ofKey[1].GetProperty("details").GetProperty("to").GetString());
        Assert.DoesNotContain(secret, JsonSerializer.Serialize(events));
        Assert.DoesNotContain("authsk_", JsonSerializer.Serialize(events));
    }

    [Fact]
    public async Task Joining_a_role_change_and_a_removal_are_member_events()
    {
        var account = await world.CreateAccountAsync("Members " + Guid.NewGuid().ToString("N")[..8]);
        var email = $"m{Guid.NewGuid():N}"[..10] + "@acme.test";
        await ConsoleClient.For(world).JoinAsync(world, account.Id, "first." + email, MemberRole.Administrator);
        await ConsoleClient.For(world).JoinAsync(world, account.Id, email, MemberRole.Member);
        var userId = (await world.Provision.InScope<MembershipService, IReadOnlyList<MemberView>>(m => m.ListAsync(account.Id, CancellationToken.None))).Single(m => m.Email == email).UserId;
        await world.Provision.InScope<MembershipService, bool>(async m => { await m.ChangeRoleAsync(account.Id, userId, MemberRole.Administrator, TestWorld.TestActor, CancellationToken.None); return true; });
        await world.Provision.InScope<MembershipService, bool>(async m => { await m.RemoveAsync(account.Id, userId, TestWorld.TestActor, CancellationToken.None); return true; });

        var events = await EventsAsync(account.Id);

        Assert.Equal(["member.joined", "member.joined", "member.role_changed", "member.removed"], events.Select(e => e.GetProperty("type").GetString()).ToList());
        Assert.All(events, e => Assert.Equal(JsonValueKind.Null, e.GetProperty("keyId").ValueKind));
        Assert.Equal(email, events[1].GetProperty("details").GetProperty("email").GetString()); // joined: the invitation, and who accepted it
        Assert.Equal(email, events[2].GetProperty("subject").GetString());
        Assert.DoesNotContain("correct horse battery", JsonSerializer.Serialize(events));
    }

    [Theory]
    [InlineData("LifecycleEvents")]
    [InlineData("AuditEntries")]
    public async Task A_revocation_whose_transaction_fails_leaves_no_event_and_the_key_working(string failingInsert)
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        world.Factory.Faults.FailNext(sql => sql.Contains($"INSERT INTO \"{failingInsert}\"", StringComparison.Ordinal));

        await Assert.ThrowsAnyAsync<Exception>(() => world.RevokeKeyAsync(key.Key.KeyId));

        Assert.Equal(["key.created"], TypesOf(await EventsAsync(world.Acme.Id), key.Key.KeyId));
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        await world.RevokeKeyAsync(key.Key.KeyId); // and the same change, made again, is one event
        Assert.Equal(["key.created", "key.revoked"], TypesOf(await EventsAsync(world.Acme.Id), key.Key.KeyId));
    }

    [Fact]
    public async Task A_key_near_its_expiry_is_announced_once_then_its_expiry_once_however_many_instances_check()
    {
        await using var second = new AuthServerFactory(world.Factory.DatabaseSettings);
        var watchers = new[] { Watcher(world.Factory), Watcher(second) };
        var expiresAt = DateTime.UtcNow.AddSeconds(4);
        var key = await world.CreateKeyAsync(["invoices:read"], expiresAt: expiresAt);

        await Task.WhenAll(watchers.Select(w => w.CheckAsync(CancellationToken.None)));
        await Task.WhenAll(watchers.Select(w => w.CheckAsync(CancellationToken.None)));
        Assert.Equal(["key.created", "key.expiring_soon"], TypesOf(await EventsAsync(world.Acme.Id), key.Key.KeyId));

        await TestWorld.WaitUntilPastAsync(expiresAt);
        await Task.WhenAll(watchers.Select(w => w.CheckAsync(CancellationToken.None)));
        await watchers[0].CheckAsync(CancellationToken.None);

        var events = await EventsAsync(world.Acme.Id);
        Assert.Equal(["key.created", "key.expiring_soon", "key.expired"], TypesOf(events, key.Key.KeyId));
        var expired = events.Single(e => e.GetProperty("keyId").GetString() == key.Key.KeyId && e.GetProperty("type").GetString() == "key.expired");
        Assert.Equal(expiresAt, expired.GetProperty("occurredAt").GetDateTime(), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_key_whose_expiry_is_extended_is_announced_again_for_its_new_expiry_and_a_revoked_key_is_not()
    {
        var extended = await world.CreateKeyAsync(["invoices:read"], expiresAt: DateTime.UtcNow.AddDays(2));
        var revoked = await world.CreateKeyAsync(["invoices:read"], expiresAt: DateTime.UtcNow.AddDays(2));
        await world.RevokeKeyAsync(revoked.Key.KeyId);
        var watcher = Watcher(world.Factory);

        await watcher.CheckAsync(CancellationToken.None);
        await world.Provision.InScope<AuthServer.ApiKeys.ApiKeyLifecycle, AuthServer.ApiKeys.ApiKeyView>(l =>
            l.ExtendAsync(AccountScope.Every, extended.Key.KeyId, DateTime.UtcNow.AddDays(3), TestWorld.TestActor, CancellationToken.None));
        await watcher.CheckAsync(CancellationToken.None);

        var events = await EventsAsync(world.Acme.Id);
        Assert.Equal(["key.created", "key.expiring_soon", "key.extended", "key.expiring_soon"], TypesOf(events, extended.Key.KeyId));
        Assert.Equal(["key.created", "key.revoked"], TypesOf(events, revoked.Key.KeyId));
    }

    [Fact]
    public async Task Only_the_accounts_own_keys_and_operators_read_its_events()
    {
        using var other = await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{world.Acme.Id}/events", world.OtherAdministratorToken);
        using var viewer = await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{world.Acme.Id}/events", world.ViewerToken);
        using var badPage = await world.AdminAsync(HttpMethod.Get, $"/admin/v1/accounts/{world.Acme.Id}/events?take=0", world.ViewerToken);

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viewer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
        Assert.Equal("application/problem+json", badPage.Content.Headers.ContentType?.MediaType);
    }

    private static KeyExpiryWatcher Watcher(AuthServerFactory factory) =>
        factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<KeyExpiryWatcher>().Single();
}

public sealed class LifecycleEventTestsOnSqlite(AdminWorld world) : LifecycleEventTests<AdminWorld>(world);

public sealed class LifecycleEventTestsOnPostgreSql(PostgresAdminWorld world) : LifecycleEventTests<PostgresAdminWorld>(world);
