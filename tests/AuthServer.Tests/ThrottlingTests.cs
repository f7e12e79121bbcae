using System.Net;
using AuthServer.Clients;
using AuthServer.Secrets;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>Failed authentications are throttled per client ID and per address; successes are not; keys have a request limit.</summary>
public sealed class FailureThrottlingTests(FailureThrottlingTests.World world) : IClassFixture<FailureThrottlingTests.World>
{
    public sealed class World() : TestWorld(new Dictionary<string, string?>
    {
        ["Throttling:FailuresPerClient"] = "3",
        ["Throttling:FailuresPerAddress"] = "1000",
        ["Throttling:FailureWindow"] = "00:00:05",
    });

    [Fact]
    public async Task After_the_allowed_failures_a_client_id_is_refused_even_with_the_right_secret_until_the_window_ends()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await world.Http.RequestTokenAsync(key.Key.KeyId, ClientSecret.Generate())).StatusCode);
        }

        using var throttled = await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var body = await throttled.ReadJsonAsync();
        Assert.Equal("temporarily_unavailable", body.GetProperty("error").GetString());
        Assert.Contains("failed authentication attempts", body.GetProperty("error_description").GetString());

        await Task.Delay(throttled.Headers.RetryAfter!.Delta!.Value + TimeSpan.FromMilliseconds(200));
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
    }

    [Fact]
    public async Task Successful_requests_never_count_towards_the_failure_limit()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);

        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
        }
    }

    [Fact]
    public async Task Throttling_one_client_id_leaves_others_alone()
    {
        var attacked = await world.CreateKeyAsync(["invoices:read"]);
        var other = await world.CreateKeyAsync(["invoices:read"]);
        for (var i = 0; i < 4; i++)
        {
            await world.Http.RequestTokenAsync(attacked.Key.KeyId, ClientSecret.Generate());
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await world.Http.RequestTokenAsync(attacked.Key.KeyId, attacked.Secret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(other.Key.KeyId, other.Secret)).StatusCode);
    }
}

public sealed class AddressThrottlingTests(AddressThrottlingTests.World world) : IClassFixture<AddressThrottlingTests.World>
{
    public sealed class World() : TestWorld(new Dictionary<string, string?>
    {
        ["Throttling:FailuresPerClient"] = "1000",
        ["Throttling:FailuresPerAddress"] = "5",
        ["Throttling:FailureWindow"] = "00:00:05",
    });

    [Fact]
    public async Task Spraying_many_client_ids_from_one_address_is_throttled_for_that_address()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await world.Http.RequestTokenAsync($"ak_spray{i:D12}", ClientSecret.Generate())).StatusCode);
        }

        using var throttled = await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        await Task.Delay(throttled.Headers.RetryAfter!.Delta!.Value + TimeSpan.FromMilliseconds(200));
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(key.Key.KeyId, key.Secret)).StatusCode);
    }
}

public sealed class KeyRequestLimitTests(KeyRequestLimitTests.World world) : KeyRequestLimitTestsBase(world), IClassFixture<KeyRequestLimitTests.World>
{
    public sealed class World() : TestWorld(KeyRequestLimitTestsBase.Settings(fastPaths: true));
}

public sealed class KeyRequestLimitTestsThroughOpenIddict(KeyRequestLimitTestsThroughOpenIddict.World world)
    : KeyRequestLimitTestsBase(world), IClassFixture<KeyRequestLimitTestsThroughOpenIddict.World>
{
    public sealed class World() : TestWorld(KeyRequestLimitTestsBase.Settings(fastPaths: false));
}

public abstract class KeyRequestLimitTestsBase(TestWorld world)
{
    public static Dictionary<string, string?> Settings(bool fastPaths) => new()
    {
        ["Throttling:TokensPerKey"] = "5",
        ["Throttling:TokenWindow"] = "00:00:05",
        ["Tokens:FastPaths"] = fastPaths ? "true" : "false",
    };

    [Fact]
    public async Task A_key_that_asks_for_too_many_tokens_gets_429_until_the_window_ends_and_other_keys_do_not()
    {
        var greedy = await world.CreateKeyAsync(["invoices:read"]);
        var other = await world.CreateKeyAsync(["invoices:read"]);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(greedy.Key.KeyId, greedy.Secret)).StatusCode);
        }

        using var limited = await world.Http.RequestTokenAsync(greedy.Key.KeyId, greedy.Secret);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("cache each token", (await limited.ReadJsonAsync()).GetProperty("error_description").GetString());
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(other.Key.KeyId, other.Secret)).StatusCode);
        await Task.Delay(limited.Headers.RetryAfter!.Delta!.Value + TimeSpan.FromMilliseconds(200));
        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenAsync(greedy.Key.KeyId, greedy.Secret)).StatusCode);
    }
}

public sealed class ThrottlingIsPerAddressTests(ThrottlingIsPerAddressTests.World world) : IClassFixture<ThrottlingIsPerAddressTests.World>
{
    public sealed class World() : TestWorld(new Dictionary<string, string?>
    {
        ["Throttling:FailuresPerClient"] = "3",
        ["Throttling:FailuresPerAddress"] = "1000",
        ["Throttling:FailureWindow"] = "00:01:00",
    });

    [Fact]
    public async Task Failures_from_one_address_cannot_lock_a_key_out_for_its_owner_elsewhere()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        for (var i = 0; i < 4; i++)
        {
            await RequestFrom("203.0.113.66", key.Key.KeyId, ClientSecret.Generate());
        }

        using var attacker = await RequestFrom("203.0.113.66", key.Key.KeyId, key.Secret);
        using var owner = await RequestFrom("198.51.100.7", key.Key.KeyId, key.Secret);

        Assert.Equal(HttpStatusCode.TooManyRequests, attacker.StatusCode);
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    private Task<HttpResponseMessage> RequestFrom(string address, string clientId, string secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = OAuth.BasicCredentials(clientId, secret);
        request.Headers.Add(TestRemoteAddress.Header, address);
        return world.Http.SendAsync(request);
    }
}
