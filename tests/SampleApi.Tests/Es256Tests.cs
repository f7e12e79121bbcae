using System.IdentityModel.Tokens.Jwt;
using System.Net;
using AuthServer.ResourceServer;
using AuthServer.Signing;
using SampleApi.Tests.Infrastructure;

namespace SampleApi.Tests;

/// <summary>An AuthServer configured for ES256: its tokens are accepted the same way, and tampering is still caught.</summary>
public sealed class Es256Tests : IAsyncLifetime
{
    private readonly LoopbackAuthServer _authServer = new(SigningAlgorithms.ES256);
    private readonly List<(SampleApiFactory Factory, HttpClient Client)> _apis = [];

    public async Task InitializeAsync()
    {
        await _authServer.InitializeAsync();
        foreach (var mode in Enum.GetValues<TokenValidationMode>())
        {
            var factory = new SampleApiFactory(_authServer, mode);
            _apis.Add((factory, factory.CreateClient()));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var (factory, client) in _apis)
        {
            client.Dispose();
            await factory.DisposeAsync();
        }

        await _authServer.DisposeAsync();
    }

    [Fact]
    public async Task Es256_tokens_are_accepted_in_both_modes_and_a_changed_signature_is_not()
    {
        var token = await _authServer.TokenAsync("invoices:read");
        Assert.Equal("ES256", new JwtSecurityToken(token).Header.Alg);
        var tampered = token[..^8] + (token[^8] == 'A' ? "BBBBBBBB" : "AAAAAAAA");

        foreach (var (_, api) in _apis)
        {
            using var accepted = await api.GetAsync("/invoices", token);
            using var refused = await api.GetAsync("/invoices", tampered);

            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            refused.AssertInvalidToken();
        }
    }
}
