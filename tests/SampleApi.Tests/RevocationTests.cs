using System.Diagnostics;
using System.IdentityModel.Tokens.Jwt;
using System.Net;
using AuthServer.ResourceServer;
using AuthServer.Tests.Infrastructure;
using SampleApi.Tests.Infrastructure;

namespace SampleApi.Tests;

/// <summary>The documented trade-off: introspection sees a revocation at once; local validation only at the token's exp.</summary>
[Collection(WithSharedAuthServer.Name)]
public sealed class RevocationTests(ResourceServerWorld world)
{
    [Fact]
    public async Task Introspection_refuses_the_next_call_after_the_key_is_revoked()
    {
        var key = await world.AuthServer.CreateKeyAsync(["invoices:read"]);
        var token = await world.AuthServer.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        var api = world.Api(TokenValidationMode.Introspection);
        using (var before = await api.GetAsync("/invoices", token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await world.AuthServer.RevokeKeyAsync(key.Key.KeyId);

        using var after = await api.GetAsync("/invoices", token);
        after.AssertInvalidToken();
    }

    [Fact]
    public async Task Local_validation_keeps_accepting_a_revoked_keys_token_until_its_exp_and_never_after()
    {
        // A key that expires in a few seconds gives a token whose exp is that close (exp never passes the key's expiry).
        var key = await world.AuthServer.CreateKeyAsync(["invoices:read"], expiresAt: DateTime.UtcNow.AddSeconds(4));
        var token = await world.AuthServer.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        var exp = new DateTimeOffset(new JwtSecurityToken(token).ValidTo, TimeSpan.Zero);
        var api = world.Api(TokenValidationMode.Local);

        await world.AuthServer.RevokeKeyAsync(key.Key.KeyId);

        var accepted = new List<DateTimeOffset>();
        DateTimeOffset? refusedAt = null;
        var clock = Stopwatch.StartNew();
        while (refusedAt is null && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var sentAt = DateTimeOffset.UtcNow;
            using var response = await api.GetAsync("/invoices", token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                accepted.Add(sentAt);
                await Task.Delay(100);
            }
            else
            {
                response.AssertInvalidToken();
                refusedAt = DateTimeOffset.UtcNow;
            }
        }

        Assert.NotEmpty(accepted); // still accepted after the revocation
        Assert.All(accepted, sentAt => Assert.True(sentAt <= exp, $"accepted a request sent at {sentAt:O}, after exp {exp:O}"));
        Assert.NotNull(refusedAt);
        Assert.True(refusedAt > exp, $"refused at {refusedAt:O}, before exp {exp:O}");
        Assert.True(refusedAt - exp < TimeSpan.FromSeconds(1), $"refused only at {refusedAt:O}, exp was {exp:O}");
    }
}
