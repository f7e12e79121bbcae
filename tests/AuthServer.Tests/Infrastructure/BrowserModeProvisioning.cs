using AuthServer.Accounts;
using AuthServer.Browser;
using AuthServer.Scopes;

namespace AuthServer.Tests.Infrastructure;

/// <summary>A key in browser mode: its publishable key, its allowed origins, and the signing secret it was shown once.</summary>
public sealed record BrowserModeKey(TestKey Key, string PublishableKey, string SigningSecret);

public static class BrowserModeProvisioning
{
    /// <summary>
    /// A new key of <paramref name="accountId"/> with <paramref name="scopes"/>, each marked publishable, a publishable
    /// key allowed from <paramref name="origins"/>, and a signing secret, all through the server's own services.
    /// </summary>
    public static async Task<BrowserModeKey> CreateBrowserModeKeyAsync(this Provisioning provision, string accountId, string[] scopes, params string[] origins)
    {
        foreach (var scope in scopes)
        {
            await provision.InScope<ScopeService, ScopeView>(service =>
                service.SetMarksAsync(scope, liveOnly: null, publishable: true, Provisioning.TestActor, CancellationToken.None));
        }

        var key = await provision.CreateKeyAsync(accountId, scopes);
        await provision.InScope<PublishableKeyService, (PublishableKeyView, bool)>(service =>
            service.SetOriginsAsync(AccountScope.Every, key.Key.KeyId, origins, Provisioning.TestActor, CancellationToken.None));
        var generated = await provision.InScope<PublishableKeyService, GeneratedSigningSecret>(service =>
            service.GenerateSigningSecretAsync(AccountScope.Every, key.Key.KeyId, Provisioning.TestActor, CancellationToken.None));
        return new BrowserModeKey(key, generated.PublishableKey.PublishableKey, generated.SigningSecret);
    }
}
