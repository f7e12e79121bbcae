using System.Net;
using AuthServer.Accounts;
using AuthServer.ApiKeys;
using AuthServer.Failures;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>The rows of the semantics table in docs/design.md, on one instance.</summary>
public abstract class KeyLifecycleTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : TestWorld
{
    private HttpClient Http => world.Http;

    [Fact]
    public async Task A_new_key_works_at_once_and_its_secret_is_stored_only_as_a_hash()
    {
        var key = await world.CreateKeyAsync(["invoices:read"], name: "billing");

        Assert.Equal(HttpStatusCode.OK, (await Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        Assert.Equal("billing", key.Key.Name);
        Assert.Equal(ApiKeyStatus.Active, key.Key.Status);
        Assert.Equal("authsk_live_..." + key.Secret[^4..], key.Key.SecretHint);

        var stored = await StoredSecretAsync(key.Key.KeyId);
        Assert.NotNull(stored);
        Assert.DoesNotContain(key.Secret, stored);
        Assert.StartsWith("sha256:", stored);
        Assert.Equal(stored, await StoredLookupHashAsync(key.Key.KeyId)); // the same hash leads a secret presented directly to the key
    }

    [Fact]
    public async Task A_key_without_a_name_gets_a_readable_one()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);

        Assert.StartsWith("Key created ", key.Key.Name);
    }

    [Fact]
    public async Task Renaming_changes_nothing_for_tokens()
    {
        var key = await world.CreateKeyAsync(["invoices:read"], name: "old");

        var renamed = await Lifecycle(l => l.RenameAsync(AccountScope.Every, key.Key.KeyId, "new name", TestWorld.TestActor, CancellationToken.None));

        Assert.Equal("new name", renamed.Name);
        Assert.Equal(HttpStatusCode.OK, (await Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
    }

    [Fact]
    public async Task Extending_an_expiry_keeps_the_secret_working_past_the_old_expiry()
    {
        var expiresAt = DateTime.UtcNow.AddSeconds(2);
        var key = await world.CreateKeyAsync(["invoices:read"], expiresAt: expiresAt);

        var extended = await Lifecycle(l => l.ExtendAsync(AccountScope.Every, key.Key.KeyId, DateTime.UtcNow.AddDays(30), TestWorld.TestActor, CancellationToken.None));
        await TestWorld.WaitUntilPastAsync(expiresAt);

        Assert.True(extended.ExpiresAt > DateTime.UtcNow.AddDays(29));
        Assert.Equal(HttpStatusCode.OK, (await Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
    }

    [Fact]
    public async Task An_expired_key_can_be_extended_back_to_life()
    {
        var key = await world.CreateKeyAsync(["invoices:read"], expiresAt: DateTime.UtcNow.AddHours(1));
        await world.ExpireKeyAsync(key.Key.KeyId);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);

        await Lifecycle(l => l.ExtendAsync(AccountScope.Every, key.Key.KeyId, DateTime.UtcNow.AddDays(1), TestWorld.TestActor, CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, (await Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
    }

    [Fact]
    public async Task Extending_to_an_earlier_or_past_date_or_a_key_that_never_expires_is_refused()
    {
        var expiring = await world.CreateKeyAsync(["invoices:read"], expiresAt: DateTime.UtcNow.AddDays(10));
        var forever = await world.CreateKeyAsync(["invoices:read"]);

        await Assert.ThrowsAsync<InvalidFieldException>(() => Lifecycle(l => l.ExtendAsync(AccountScope.Every, expiring.Key.KeyId, DateTime.UtcNow.AddDays(5), TestWorld.TestActor, CancellationToken.None)));
        await Assert.ThrowsAsync<InvalidFieldException>(() => Lifecycle(l => l.ExtendAsync(AccountScope.Every, expiring.Key.KeyId, DateTime.UtcNow.AddDays(-1), TestWorld.TestActor, CancellationToken.None)));
        await Assert.ThrowsAsync<ConflictException>(() => Lifecycle(l => l.ExtendAsync(AccountScope.Every, forever.Key.KeyId, DateTime.UtcNow.AddDays(5), TestWorld.TestActor, CancellationToken.None)));
        Assert.Equal(expiring.Key.ExpiresAt, (await Get(expiring.Key.KeyId)).ExpiresAt);
    }

    [Fact]
    public async Task Revoking_is_immediate_irreversible_erases_the_hash_and_keeps_the_record()
    {
        var key = await world.CreateKeyAsync(["invoices:read"], name: "to revoke");
        Assert.Equal(HttpStatusCode.OK, (await Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);

        var revoked = await world.RevokeKeyAsync(key.Key.KeyId);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        Assert.Equal(ApiKeyStatus.Revoked, revoked.Status);
        Assert.Equal("test", revoked.RevokedBy);
        Assert.Null(await StoredSecretAsync(key.Key.KeyId));
        Assert.Null(await StoredLookupHashAsync(key.Key.KeyId));
        Assert.Equal("to revoke", (await Get(key.Key.KeyId)).Name);
        await Assert.ThrowsAsync<ConflictException>(() => world.RevokeKeyAsync(key.Key.KeyId));
        await Assert.ThrowsAsync<ConflictException>(() => Lifecycle(l => l.RenameAsync(AccountScope.Every, key.Key.KeyId, "again", TestWorld.TestActor, CancellationToken.None)));
        await Assert.ThrowsAsync<ConflictException>(() => Lifecycle(l => l.ExtendAsync(AccountScope.Every, key.Key.KeyId, DateTime.UtcNow.AddDays(1), TestWorld.TestActor, CancellationToken.None)));
    }

    [Fact]
    public async Task Of_concurrent_revocations_exactly_one_succeeds_and_is_audited()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            try
            {
                await world.RevokeKeyAsync(key.Key.KeyId);
                return "revoked";
            }
            catch (ConflictException)
            {
                return "conflict";
            }
        }));

        Assert.Single(outcomes, o => o == "revoked");
        Assert.Equal(7, outcomes.Count(o => o == "conflict"));
        var audit = await world.InScope<AuthServer.Audit.AuditQueries, AuthServer.Data.Page<AuthServer.Audit.AuditEntryView>>(
            q => q.ListAsync(AccountScope.Only(world.Acme.Id), 0, 200, CancellationToken.None));
        Assert.Single(audit.Items, e => e.Action == "key.revoked" && e.Subject == key.Key.KeyId);
    }

    [Fact]
    public async Task Another_accounts_key_is_not_found_for_an_account_bound_caller()
    {
        var other = await world.CreateAccountAsync("Other");
        var key = await world.CreateKeyAsync(["invoices:read"], accountId: other.Id);

        await Assert.ThrowsAsync<NotFoundException>(() => Lifecycle(l => l.RevokeAsync(AccountScope.Only(world.Acme.Id), key.Key.KeyId, TestWorld.TestActor, CancellationToken.None)));
        await Assert.ThrowsAsync<NotFoundException>(() => Lifecycle(l => l.RenameAsync(AccountScope.Only(world.Acme.Id), key.Key.KeyId, "x", TestWorld.TestActor, CancellationToken.None)));
        Assert.Equal(ApiKeyStatus.Active, (await Get(key.Key.KeyId)).Status);
    }

    [Theory]
    [InlineData(new string[0], "scopes")]
    [InlineData(new[] { "no-such-scope" }, "scopes")]
    public async Task A_key_needs_existing_scopes(string[] scopes, string field)
    {
        var error = await Assert.ThrowsAsync<InvalidFieldException>(() => world.CreateKeyAsync(scopes));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public async Task Bad_names_and_expiries_are_refused_and_nothing_is_created()
    {
        var account = await world.CreateAccountAsync("Strict");

        await Assert.ThrowsAsync<InvalidFieldException>(() => world.CreateKeyAsync(["invoices:read"], accountId: account.Id, name: new string('x', 101)));
        await Assert.ThrowsAsync<InvalidFieldException>(() => world.CreateKeyAsync(["invoices:read"], accountId: account.Id, name: "tab\there"));
        await Assert.ThrowsAsync<InvalidFieldException>(() => world.CreateKeyAsync(["invoices:read"], accountId: account.Id, expiresAt: DateTime.UtcNow.AddMinutes(-1)));
        await Assert.ThrowsAsync<NotFoundException>(() => world.CreateKeyAsync(["invoices:read"], accountId: "acct_missing"));

        var keys = await world.InScope<ApiKeyQueries, IReadOnlyList<ApiKeyView>>(async q => (await q.ListAsync(AccountScope.Only(account.Id), null, 0, 50, CancellationToken.None)).Items);
        Assert.Empty(keys);
    }

    [Fact]
    public async Task Listing_filters_by_status_and_shows_no_secret()
    {
        var account = await world.CreateAccountAsync("Lister");
        var active = await world.CreateKeyAsync(["invoices:read"], accountId: account.Id);
        var revoked = await world.CreateKeyAsync(["invoices:read"], accountId: account.Id);
        await world.RevokeKeyAsync(revoked.Key.KeyId);

        var all = await List(account.Id, null);
        var onlyActive = await List(account.Id, ApiKeyStatus.Active);
        var onlyRevoked = await List(account.Id, ApiKeyStatus.Revoked);

        Assert.Equal(2, all.Count);
        Assert.Equal([active.Key.KeyId], onlyActive.Select(k => k.KeyId));
        Assert.Equal([revoked.Key.KeyId], onlyRevoked.Select(k => k.KeyId));
        Assert.DoesNotContain(all, k => System.Text.Json.JsonSerializer.Serialize(k).Contains(active.Secret[7..], StringComparison.Ordinal));
    }

    private Task<IReadOnlyList<ApiKeyView>> List(string accountId, ApiKeyStatus? status) =>
        world.InScope<ApiKeyQueries, IReadOnlyList<ApiKeyView>>(async q => (await q.ListAsync(AccountScope.Only(accountId), status, 0, 50, CancellationToken.None)).Items);

    private Task<ApiKeyView> Get(string keyId) =>
        world.InScope<ApiKeyQueries, ApiKeyView>(q => q.GetAsync(AccountScope.Every, keyId, CancellationToken.None));

    private Task<ApiKeyView> Lifecycle(Func<ApiKeyLifecycle, Task<ApiKeyView>> action) =>
        world.InScope(action);

    private async Task<string?> StoredLookupHashAsync(string keyId)
    {
        await using var scope = world.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthServer.Data.AuthDbContext>();
        return db.ApiKeys.Where(k => k.Id == keyId).Select(k => k.SecretHash).FirstOrDefault();
    }

    private async Task<string?> StoredSecretAsync(string keyId)
    {
        await using var scope = world.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthServer.Data.AuthDbContext>();
        return db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication>()
            .Where(a => a.ClientId == keyId)
            .Select(a => a.ClientSecret)
            .FirstOrDefault();
    }
}

public sealed class KeyLifecycleTestsOnSqlite(TestWorld world) : KeyLifecycleTests<TestWorld>(world);

public sealed class KeyLifecycleTestsOnPostgreSql(PostgresWorld world) : KeyLifecycleTests<PostgresWorld>(world);
