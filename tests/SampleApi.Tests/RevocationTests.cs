using System.Net;
using AuthServer.ResourceServer;
using AuthServer.Tests.Infrastructure;
using SampleApi.Tests.Infrastructure;

namespace SampleApi.Tests;

/// <summary>Introspection sees a revocation at once (local validation: <see cref="RevocationFollowingTests"/>).</summary>
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
}
