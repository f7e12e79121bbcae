using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Text.Json;
using AuthServer.ResourceServer;
using SampleApi.Tests.Infrastructure;

namespace SampleApi.Tests;

/// <summary>
/// A signing-key rotation as certs/README.md describes it, on an AuthServer that is restarted (same port,
/// database and certificate folder) while the SampleApi keeps running: a new certificate is first published
/// (NotBefore ahead), then used; tokens of both keys are accepted throughout.
/// </summary>
public sealed class KeyRotationTests : IAsyncLifetime
{
    private static readonly TimeSpan PublicationLead = TimeSpan.FromSeconds(10); // room for a slow, busy machine to restart before NotBefore
    private readonly LoopbackAuthServer _authServer = new();
    private readonly Dictionary<TokenValidationMode, (SampleApiFactory Factory, HttpClient Client)> _apis = [];

    public async Task InitializeAsync()
    {
        await _authServer.InitializeAsync();
        foreach (var mode in Enum.GetValues<TokenValidationMode>())
        {
            var factory = new SampleApiFactory(_authServer, mode);
            _apis[mode] = (factory, factory.CreateClient());
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var (factory, client) in _apis.Values)
        {
            client.Dispose();
            await factory.DisposeAsync();
        }

        await _authServer.DisposeAsync();
    }

    [Fact]
    public async Task A_new_key_published_then_used_is_followed_without_restarting_the_api()
    {
        var oldKey = _authServer.SigningCertificate;
        var oldToken = await _authServer.TokenAsync("invoices:read");
        Assert.Equal(oldKey.Thumbprint, KeyIdOf(oldToken));
        await AssertAcceptedEverywhereAsync(oldToken);
        var local = _apis[TokenValidationMode.Local].Factory.Backchannel;
        var mark = local.Mark();

        // Publish: the new certificate is in the folder with NotBefore ahead, so it is in the JWKS but does not sign.
        var notBefore = DateTimeOffset.UtcNow.Add(PublicationLead);
        var newKey = _authServer.AddCertificate(notBefore);
        await _authServer.RestartAsync();
        Assert.Contains(newKey.Thumbprint, await PublishedKeyIdsAsync());
        Assert.True(_authServer.StartedAt < notBefore, $"the AuthServer restarted only at {_authServer.StartedAt:O}, after the new key's NotBefore {notBefore:O}");
        var publishedPhaseToken = await _authServer.TokenAsync("invoices:read");
        Assert.Equal(oldKey.Thumbprint, KeyIdOf(publishedPhaseToken));
        await AssertAcceptedEverywhereAsync(publishedPhaseToken);

        // Use: after NotBefore, a restarted AuthServer signs with the new key; the old one stays published.
        var untilValid = notBefore - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        await Task.Delay(untilValid > TimeSpan.Zero ? untilValid : TimeSpan.Zero);
        await _authServer.RestartAsync();
        var newToken = await _authServer.TokenAsync("invoices:read");
        Assert.Equal(newKey.Thumbprint, KeyIdOf(newToken));
        Assert.Contains(oldKey.Thumbprint, await PublishedKeyIdsAsync());

        await AssertAcceptedEverywhereAsync(newToken); // the first token of the new key, on the first try
        await AssertAcceptedEverywhereAsync(oldToken);
        await AssertAcceptedEverywhereAsync(publishedPhaseToken);

        // The local API read the keys once more, when it met the new kid, and not per request.
        var reads = local.Since(mark);
        Assert.True(reads.Count(path => path == "/.well-known/jwks") == 1, $"backchannel since the rotation began: {string.Join(", ", reads)}");
    }

    private async Task AssertAcceptedEverywhereAsync(string token)
    {
        foreach (var (mode, (_, client)) in _apis)
        {
            using var response = await client.GetAsync("/invoices", token);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{mode}: {(int)response.StatusCode} {string.Join(" ", response.Headers.WwwAuthenticate)}");
        }
    }

    private async Task<List<string?>> PublishedKeyIdsAsync()
    {
        using var jwks = JsonDocument.Parse(await _authServer.Http.GetStringAsync(new Uri(".well-known/jwks", UriKind.Relative)));
        return jwks.RootElement.GetProperty("keys").EnumerateArray().Select(key => key.GetProperty("kid").GetString()).ToList();
    }

    private static string KeyIdOf(string token) => new JwtSecurityToken(token).Header.Kid;
}
