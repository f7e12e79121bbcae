using AuthServer.Accounts;
using AuthServer.ApiKeys;
using AuthServer.Audit;
using AuthServer.Resources;
using AuthServer.Scopes;

namespace AuthServer.Tests.Infrastructure;

/// <summary>
/// Makes accounts, resource servers, scopes and keys through a server's own services, as an operator would.
/// <see cref="SeedStandardAsync"/> makes the set most tests share: account Acme, resource servers invoices-api and
/// reports-api (each with introspection credentials), scopes invoices:read, invoices:write and reports:read.
/// </summary>
public sealed class Provisioning(IServiceProvider services)
{
    public const string InvoicesApi = "invoices-api";
    public const string ReportsApi = "reports-api";

    public static readonly Actor TestActor = new("test", "127.0.0.1");

    public async Task<(AccountView Acme, IssuedResourceCredentials Invoices, IssuedResourceCredentials Reports)> SeedStandardAsync()
    {
        var acme = await CreateAccountAsync("Acme", keyLimit: 1000);
        var invoices = await CreateResourceServerAsync(InvoicesApi);
        var reports = await CreateResourceServerAsync(ReportsApi);
        await CreateScopeAsync("invoices:read", InvoicesApi);
        await CreateScopeAsync("invoices:write", InvoicesApi);
        await CreateScopeAsync("reports:read", ReportsApi);
        return (acme, invoices, reports);
    }

    public Task<AccountView> CreateAccountAsync(string name, int? keyLimit = null) =>
        InScope<AccountService, AccountView>(service => service.CreateAsync(name, keyLimit, TestActor, CancellationToken.None));

    public async Task<IssuedResourceCredentials> CreateResourceServerAsync(string name)
    {
        await InScope<ResourceServerService, ResourceServerView>(service => service.CreateAsync(name, null, TestActor, CancellationToken.None));
        return await InScope<ResourceServerService, IssuedResourceCredentials>(service => service.IssueCredentialsAsync(name, TestActor, CancellationToken.None));
    }

    public Task<ScopeView> CreateScopeAsync(string name, params string[] resources) =>
        InScope<ScopeService, ScopeView>(service => service.CreateAsync(name, $"The {name} scope", resources, TestActor, CancellationToken.None));

    public Task<ScopeView> CreateLiveOnlyScopeAsync(string name, params string[] resources) =>
        InScope<ScopeService, ScopeView>(service => service.CreateAsync(name, $"The {name} scope", resources, TestActor, CancellationToken.None, liveOnly: true));

    public Task<ScopeView> SetLiveOnlyAsync(string name, bool liveOnly) =>
        InScope<ScopeService, ScopeView>(service => service.SetLiveOnlyAsync(name, liveOnly, TestActor, CancellationToken.None));

    public async Task<TestKey> CreateKeyAsync(string accountId, string[] scopes, DateTime? expiresAt = null, string? name = null, KeyEnvironment? environment = null)
    {
        var created = await InScope<ApiKeyCreator, CreatedApiKey>(creator =>
            creator.CreateAsync(new CreateApiKeyRequest(accountId, name, scopes, expiresAt, environment), TestActor, CancellationToken.None));
        return new TestKey(created.Key, created.Secret!);
    }

    /// <summary>Sets a key's limits as an operator would (tokens per minute, allow-list).</summary>
    public Task<ApiKeyView> SetKeyLimitsAsync(string keyId, int? tokensPerMinute, params string[] allowedAddresses) =>
        InScope<AuthServer.Limits.KeyLimitsService, ApiKeyView>(service =>
            service.SetAsync(AccountScope.Every, keyId, tokensPerMinute, allowedAddresses, TestActor, CancellationToken.None));

    /// <summary>Gives the key a publishable key with these allowed origins (or sets them).</summary>
    public async Task<AuthServer.Browser.PublishableKeyView> SetAllowedOriginsAsync(string keyId, params string[] origins) =>
        (await InScope<AuthServer.Browser.PublishableKeyService, (AuthServer.Browser.PublishableKeyView, bool)>(service =>
            service.SetOriginsAsync(AccountScope.Every, keyId, origins, TestActor, CancellationToken.None))).Item1;

    public async Task<string> GenerateSigningSecretAsync(string keyId) =>
        (await InScope<AuthServer.Browser.PublishableKeyService, AuthServer.Browser.GeneratedSigningSecret>(service =>
            service.GenerateSigningSecretAsync(AccountScope.Every, keyId, TestActor, CancellationToken.None))).SigningSecret;

    public Task<ScopeView> SetPublishableAsync(string name, bool publishable) =>
        InScope<ScopeService, ScopeView>(service => service.SetMarksAsync(name, liveOnly: null, publishable, TestActor, CancellationToken.None));

    public Task<ApiKeyView> RevokeKeyAsync(string keyId) =>
        InScope<ApiKeyLifecycle, ApiKeyView>(lifecycle => lifecycle.RevokeAsync(AccountScope.Every, keyId, TestActor, CancellationToken.None));

    public async Task<TResult> InScope<TService, TResult>(Func<TService, Task<TResult>> action) where TService : notnull
    {
        await using var scope = services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }
}

/// <summary>A key made by a test, with the secret it was shown.</summary>
public sealed record TestKey(ApiKeyView Key, string Secret);
