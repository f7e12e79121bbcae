using AuthServer.Accounts;
using AuthServer.ApiKeys;
using AuthServer.Audit;
using AuthServer.Resources;
using AuthServer.Scopes;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// A running server with a standard set-up: account Acme, resource servers invoices-api and reports-api
/// (each with introspection credentials), and scopes invoices:read, invoices:write (→ invoices-api) and
/// reports:read (→ reports-api). Shared by the tests of one class; each test makes its own keys.
/// </summary>
public class TestWorld : IAsyncLifetime
{
    public const string InvoicesApi = Provisioning.InvoicesApi;
    public const string ReportsApi = Provisioning.ReportsApi;

    public static readonly Actor TestActor = Provisioning.TestActor;

    public TestWorld() : this(new Dictionary<string, string?>())
    {
    }

    protected TestWorld(IDictionary<string, string?> settings) => Factory = new AuthServerFactory(settings);

    protected TestWorld(AuthServerFactory factory) => Factory = factory;

    public AuthServerFactory Factory { get; }

    public HttpClient Http { get; private set; } = null!;

    public AccountView Acme { get; private set; } = null!;

    public IssuedResourceCredentials Invoices { get; private set; } = null!;

    public IssuedResourceCredentials Reports { get; private set; } = null!;

    public IServiceProvider Services => Factory.Services;

    public Provisioning Provision => new(Services);

    public virtual async Task InitializeAsync()
    {
        Http = Factory.CreateHttpsClient();
        (Acme, Invoices, Reports) = await Provision.SeedStandardAsync();
    }

    public virtual async Task DisposeAsync()
    {
        Http.Dispose();
        await Factory.DisposeAsync();
    }

    public Task<AccountView> CreateAccountAsync(string name, int? keyLimit = null) => Provision.CreateAccountAsync(name, keyLimit);

    public Task<IssuedResourceCredentials> CreateResourceServerAsync(string name) => Provision.CreateResourceServerAsync(name);

    public Task<ScopeView> CreateScopeAsync(string name, params string[] resources) => Provision.CreateScopeAsync(name, resources);

    public Task<TestKey> CreateKeyAsync(string[] scopes, DateTime? expiresAt = null, string? accountId = null, string? name = null, AuthServer.ApiKeys.KeyEnvironment? environment = null) =>
        Provision.CreateKeyAsync(accountId ?? Acme.Id, scopes, expiresAt, name, environment);

    public Task<ApiKeyView> RevokeKeyAsync(string keyId) => Provision.RevokeKeyAsync(keyId);

    /// <summary>
    /// Moves a key's expiry to a second ago, as if its time had run out: tests of expiry then need no waiting,
    /// which a loaded machine would make flaky. The instance's cached copy is evicted as a change would.
    /// </summary>
    public async Task ExpireKeyAsync(string keyId)
    {
        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AuthServer.Data.AuthDbContext>();
            var past = DateTime.UtcNow.AddSeconds(-1);
            await db.ApiKeys.Where(k => k.Id == keyId).ExecuteUpdateAsync(set => set.SetProperty(k => k.ExpiresAt, past));
        }

        Services.GetRequiredService<AuthServer.Clients.ClientDirectory>().Evict(keyId);
    }

    /// <summary>
    /// Gives a key a secret of the shape AuthServer made before keys had environments (<c>authsk_</c> + body +
    /// checksum), as a key created then has; the instance's cached copy is evicted as a change would.
    /// </summary>
    public async Task<TestKey> WithSecretOfTheOldShapeAsync(TestKey key)
    {
        var secret = AuthServer.Secrets.ClientSecret.Generate();
        var hash = AuthServer.Secrets.ClientSecret.Hash(secret);
        await using (var scope = Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AuthServer.Data.AuthDbContext>();
            await db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication>().Where(a => a.ClientId == key.Key.KeyId)
                .ExecuteUpdateAsync(set => set.SetProperty(a => a.ClientSecret, hash));
        }

        Services.GetRequiredService<AuthServer.Clients.ClientDirectory>().Evict(key.Key.KeyId);
        return key with { Secret = secret };
    }

    /// <summary>Waits until <paramref name="moment"/> has passed (plus a margin), e.g. a key's expiry.</summary>
    public static async Task WaitUntilPastAsync(DateTime moment)
    {
        var wait = moment.AddMilliseconds(300) - DateTime.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }

    public Task<TResult> InScope<TService, TResult>(Func<TService, Task<TResult>> action) where TService : notnull =>
        Provision.InScope(action);
}
