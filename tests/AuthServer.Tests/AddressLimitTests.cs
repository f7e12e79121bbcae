using System.Net;
using AuthServer.Secrets;
using AuthServer.Tests.Infrastructure;

namespace AuthServer.Tests;

/// <summary>A key's IP allow-list, on both token paths: inside it tokens are issued, outside it the answer is a wrong secret's.</summary>
public abstract class AddressLimitTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : TestWorld
{
    [Theory]
    [InlineData("203.0.113.0/24", "203.0.113.77", "198.51.100.7")]
    [InlineData("2001:db8:abcd::/48", "2001:db8:abcd:12::1", "2001:db8:abce::1")]
    [InlineData("192.0.2.10", "192.0.2.10", "192.0.2.11")]
    public async Task A_key_with_an_allow_list_gets_tokens_from_inside_it_and_from_outside_the_same_answer_as_a_wrong_secret(
        string block, string inside, string outside)
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        await world.Provision.SetKeyLimitsAsync(key.Key.KeyId, null, block);

        using var allowed = await world.Http.RequestTokenFromAsync(inside, key.Key.KeyId, key.Secret);
        using var refused = await world.Http.RequestTokenFromAsync(outside, key.Key.KeyId, key.Secret);
        using var wrongSecret = await world.Http.RequestTokenFromAsync(inside, key.Key.KeyId, ClientSecret.Generate());

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("invalid_client", (await refused.ReadJsonAsync()).GetProperty("error").GetString());
        Assert.Equal(await wrongSecret.ObservedAsync(), await refused.ObservedAsync());
    }

    [Fact]
    public async Task An_ipv4_client_seen_through_an_ipv6_socket_is_matched_as_ipv4()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        await world.Provision.SetKeyLimitsAsync(key.Key.KeyId, null, "198.51.100.0/24");

        using var mapped = await world.Http.RequestTokenFromAsync("::ffff:198.51.100.9", key.Key.KeyId, key.Secret);

        Assert.Equal(HttpStatusCode.OK, mapped.StatusCode);
    }

    [Fact]
    public async Task An_expired_key_asked_from_outside_its_allow_list_does_not_say_that_it_expired()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        await world.Provision.SetKeyLimitsAsync(key.Key.KeyId, null, "203.0.113.0/24");
        await world.ExpireKeyAsync(key.Key.KeyId);

        using var refused = await world.Http.RequestTokenFromAsync("198.51.100.7", key.Key.KeyId, key.Secret);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain("expired", (await refused.ReadJsonAsync()).GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Removing_the_allow_list_lets_any_address_get_tokens_again()
    {
        var key = await world.CreateKeyAsync(["invoices:read"]);
        await world.Provision.SetKeyLimitsAsync(key.Key.KeyId, null, "203.0.113.0/24");
        Assert.Equal(HttpStatusCode.Unauthorized, (await world.Http.RequestTokenFromAsync("198.51.100.7", key.Key.KeyId, key.Secret)).StatusCode);

        await world.Provision.SetKeyLimitsAsync(key.Key.KeyId, null);

        Assert.Equal(HttpStatusCode.OK, (await world.Http.RequestTokenFromAsync("198.51.100.7", key.Key.KeyId, key.Secret)).StatusCode);
    }
}

public sealed class AddressLimitTestsWithFastPaths(TestWorld world) : AddressLimitTests<TestWorld>(world);

public sealed class AddressLimitTestsThroughOpenIddict(OpenIddictPipelineWorld world) : AddressLimitTests<OpenIddictPipelineWorld>(world);

public sealed class AddressLimitTestsOnPostgreSql(PostgresWorld world) : AddressLimitTests<PostgresWorld>(world);
