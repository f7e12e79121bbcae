using System.Diagnostics;
using System.Net;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>Two instances on one database: with one Redis they enforce a key's limit together; without, each counts alone.</summary>
public sealed class SharedLimitTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Two_instances_sharing_one_redis_enforce_one_limit_together(bool fastPaths)
    {
        var redis = RedisServer.Shared.Settings("shared");
        redis["Tokens:FastPaths"] = fastPaths ? "true" : "false";
        await using var a = new LimitWorld(redis);
        await a.InitializeAsync();
        await using var b = new AuthServerFactory(With(a.Factory.DatabaseSettings, redis));
        using var httpB = b.CreateHttpsClient();
        var key = await a.CreateKeyAsync(["invoices:read"]);
        await a.Provision.SetKeyLimitsAsync(key.Key.KeyId, 4);
        await AwayFromAMinuteBoundaryAsync(); // Redis counts in minutes aligned on the clock

        var granted = 0;
        for (var i = 0; i < 4; i++)
        {
            granted += (await (i % 2 == 0 ? a.Http : httpB).RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode == HttpStatusCode.OK ? 1 : 0;
        }

        Assert.Equal(4, granted);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await a.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await httpB.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
    }

    [Fact]
    public async Task Without_redis_each_instance_counts_a_keys_limit_alone()
    {
        await using var a = new LimitWorld(new Dictionary<string, string?>());
        await a.InitializeAsync();
        await using var b = new AuthServerFactory(a.Factory.DatabaseSettings);
        using var httpB = b.CreateHttpsClient();
        var key = await a.CreateKeyAsync(["invoices:read"]);
        await a.Provision.SetKeyLimitsAsync(key.Key.KeyId, 2);

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await a.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await httpB.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await a.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await httpB.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
    }

    [Fact]
    public async Task With_redis_stopped_tokens_are_still_issued_and_health_says_degraded()
    {
        var redis = RedisServer.StartDedicated();
        await using var world = new LimitWorld(redis.Settings("stopped"));
        await world.InitializeAsync();
        var key = await world.CreateKeyAsync(["invoices:read"]);
        await world.Provision.SetKeyLimitsAsync(key.Key.KeyId, 100);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        Assert.Equal("Healthy", await ReadyAsync(world.Http));

        redis.Stop();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        }

        Assert.Equal("Degraded", await ReadyAsync(world.Http));
    }

    [Fact]
    public async Task With_redis_that_accepts_connections_and_never_answers_tokens_are_issued_within_a_bound()
    {
        using var stalled = new StalledRedis();
        await using var world = new LimitWorld(new Dictionary<string, string?> { ["Limits:Redis"] = stalled.Address, ["Limits:RedisTimeout"] = "00:00:00.250" });
        await world.InitializeAsync();
        var key = await world.CreateKeyAsync(["invoices:read"]);
        await world.Provision.SetKeyLimitsAsync(key.Key.KeyId, 100);

        await AssertBoundedTokensAsync(world, key);
        Assert.Equal("Degraded", await ReadyAsync(world.Http));
    }

    [Fact]
    public async Task With_redis_frozen_after_it_answered_tokens_are_issued_within_a_bound()
    {
        var redis = RedisServer.StartDedicated();
        var settings = redis.Settings("frozen");
        settings["Limits:RedisTimeout"] = "00:00:00.250";
        await using var world = new LimitWorld(settings);
        await world.InitializeAsync();
        var key = await world.CreateKeyAsync(["invoices:read"]);
        await world.Provision.SetKeyLimitsAsync(key.Key.KeyId, 100);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);

        redis.Pause();
        try
        {
            await AssertBoundedTokensAsync(world, key);
            Assert.Equal("Degraded", await ReadyAsync(world.Http));
        }
        finally
        {
            redis.Resume();
            redis.Stop();
        }
    }

    private static async Task AssertBoundedTokensAsync(LimitWorld world, TestKey key)
    {
        // A fresh server's first token takes seconds on a busy machine (JIT): warm it with a key that has no limit, which
        // never asks Redis, so that what is timed is the limited key's wait for Redis.
        var warm = await world.CreateKeyAsync(["invoices:read"]);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(warm.Key.KeyId, warm.Secret)).StatusCode);
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"Token {i} took {clock.Elapsed.TotalMilliseconds:F0} ms.");
        }
    }

    private static async Task AwayFromAMinuteBoundaryAsync()
    {
        var second = DateTime.UtcNow.Second;
        if (second >= 40)
        {
            await Task.Delay(TimeSpan.FromSeconds(61 - second));
        }
    }

    private static async Task<string> ReadyAsync(HttpClient http) => await (await http.GetAsync("/health/ready")).Content.ReadAsStringAsync();

    private static Dictionary<string, string?> With(IDictionary<string, string?> a, IDictionary<string, string?> b) =>
        a.Concat(b).ToDictionary(pair => pair.Key, pair => pair.Value);

    private sealed class LimitWorld(IDictionary<string, string?> settings) : TestWorld(settings), IAsyncDisposable
    {
        async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
    }
}
