namespace AuthServer.Tests.Infrastructure;

/// <summary>A key in browser mode: its publishable key, its allowed origins, and the signing secret it was shown once.</summary>
public sealed record BrowserModeKey(TestKey Key, string PublishableKey, string SigningSecret);

public static class BrowserModeProvisioning
{
    /// <summary>
    /// A new key of <paramref name="accountId"/> with <paramref name="scopes"/>, each marked publishable, a publishable
    /// key allowed from <paramref name="origins"/>, and a signing secret: what a page and its backend need.
    /// </summary>
    public static async Task<BrowserModeKey> CreateBrowserModeKeyAsync(this Provisioning provision, string accountId, string[] scopes, params string[] origins)
    {
        foreach (var scope in scopes)
        {
            await provision.SetPublishableAsync(scope, publishable: true);
        }

        var key = await provision.CreateKeyAsync(accountId, scopes);
        var publishable = await provision.SetAllowedOriginsAsync(key.Key.KeyId, origins);
        return new BrowserModeKey(key, publishable.PublishableKey, await provision.GenerateSigningSecretAsync(key.Key.KeyId));
    }
}
