using System.Net;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>A key's own token limit, on both token paths, counted on one instance (no Redis).</summary>
public abstract class KeyRateLimitTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : TestWorld
{
    [Fact]
    public async Task A_key_with_its_own_limit_gets_429_past_it_and_a_key_without_one_does_not()
    {
        var limited = await world.CreateKeyAsync(["invoices:read"]);
        var unlimited = await world.CreateKeyAsync(["invoices:read"]);
        await world.Provision.SetKeyLimitsAsync(limited.Key.KeyId, 3);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(limited.Key.KeyId, limited.Secret)).StatusCode);
        }

        using var refused = await world.Http.RequestTokenAsync(limited.Key.KeyId, limited.Secret);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("cache each token", (await refused.ReadJsonAsync()).GetProperty("error_description").GetString());
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(unlimited.Key.KeyId, unlimited.Secret)).StatusCode);
        }
    }

    [Fact]
    public async Task Raising_a_keys_limit_lets_it_get_tokens_again_at_once()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        await world.Provision.SetKeyLimitsAsync(key.Key.KeyId, 1);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);

        await world.Provision.SetKeyLimitsAsync(key.Key.KeyId, 10);

        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
    }
}

public sealed class KeyRateLimitTestsWithFastPaths(TestWorld world) : KeyRateLimitTests<TestWorld>(world);

public sealed class KeyRateLimitTestsThroughOpenIddict(OpenIddictPipelineWorld world) : KeyRateLimitTests<OpenIddictPipelineWorld>(world);
