using System.Diagnostics;
using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AuthServer.ResourceServer;
using AuthServer.Tests.Infrastructure;
using SampleApi.Tests.Infrastructure;

namespace SampleApi.Tests;

/// <summary>
/// Local validation that follows the AuthServer's revocation stream: a revoked key's token is refused within 2 s of its
/// revocation at any instance, with no call to the AuthServer per request. When the stream cannot be read (cut, or
/// stalled), the API's health says so and the documented fallback holds: accepted until its exp, never after.
/// </summary>
[Collection(WithSharedAuthServer.Name)]
public sealed class RevocationFollowingTests(ResourceServerWorld world)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_token_is_refused_within_two_seconds_of_its_keys_revocation_at_another_instance_with_no_call_per_request()
    {
        var api = world.Api(TokenValidationMode.Local);
        await WaitForHealthAsync(api, "Healthy");
        var key = await world.AuthServer.CreateKeyAsync(["invoices:read"]);
        var token = await world.AuthServer.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        using (var before = await api.GetAsync("/invoices", token))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var mark = world.ApiFactory(TokenValidationMode.Local).Backchannel.Mark();
        await using var other = world.AuthServer.AnotherInstance();
        var clock = Stopwatch.StartNew();
        await new Provisioning(other.Services).RevokeKeyAsync(key.Key.KeyId);
        var refusedAfter = await RefusedWithinAsync(api, token, TimeSpan.FromSeconds(10));

        Assert.True(refusedAfter < Bound, $"refused only {refusedAfter} after the revocation");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Empty(world.ApiFactory(TokenValidationMode.Local).Backchannel.Since(mark)); // no request to AuthServer per API call: the stream was already open
    }

    [Theory]
    [InlineData("refused")]
    [InlineData("stalled")]
    public async Task With_the_stream_cut_health_says_so_and_a_revoked_keys_token_is_accepted_until_its_exp_and_never_after(string cut)
    {
        await using var proxy = new DatabaseProxy("127.0.0.1", world.AuthServer.Port);
        await using var factory = ThroughProxy(proxy);
        var api = factory.CreateClient();
        await WaitForHealthAsync(api, "Healthy");
        Cut(proxy, cut);
        var degraded = await WaitForHealthAsync(api, "Degraded");
        Assert.Contains("refused only when its tokens expire", degraded);

        // A key that expires in a few seconds gives a token whose exp is that close (exp never passes the key's expiry).
        var key = await world.AuthServer.CreateKeyAsync(["invoices:read"], expiresAt: DateTime.UtcNow.AddSeconds(6));
        var token = await world.AuthServer.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);
        var exp = new DateTimeOffset(new JwtSecurityToken(token).ValidTo, TimeSpan.Zero);
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

        Assert.NotEmpty(accepted); // still accepted after the revocation: the stream did not tell
        Assert.All(accepted, sentAt => Assert.True(sentAt <= exp, $"accepted a request sent at {sentAt:O}, after exp {exp:O}"));
        Assert.NotNull(refusedAt);
        Assert.True(refusedAt > exp, $"refused at {refusedAt:O}, before exp {exp:O}");
        Assert.True(refusedAt - exp < TimeSpan.FromSeconds(1), $"refused only at {refusedAt:O}, exp was {exp:O}");
        Assert.Contains(factory.Logs.Lines, m => m.Contains("Lost the AuthServer's revocation stream", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Once_the_stream_is_back_a_key_revoked_while_it_was_cut_is_refused()
    {
        await using var proxy = new DatabaseProxy("127.0.0.1", world.AuthServer.Port);
        await using var factory = ThroughProxy(proxy);
        var api = factory.CreateClient();
        await WaitForHealthAsync(api, "Healthy");
        var key = await world.AuthServer.CreateKeyAsync(["invoices:read"]);
        var token = await world.AuthServer.Http.GetAccessTokenAsync(key.Key.KeyId, key.Secret);

        proxy.Refuse();
        await WaitForHealthAsync(api, "Degraded");
        await world.AuthServer.RevokeKeyAsync(key.Key.KeyId);
        using (var cutOff = await api.GetAsync("/invoices", token))
        {
            Assert.Equal(HttpStatusCode.OK, cutOff.StatusCode); // the fallback: nothing told the API yet
        }

        proxy.Resume();
        await WaitForHealthAsync(api, "Healthy");
        Assert.True(await RefusedWithinAsync(api, token, TimeSpan.FromSeconds(10)) < TimeSpan.FromSeconds(10));
    }

    private SampleApiFactory ThroughProxy(DatabaseProxy proxy) => new(world.AuthServer, TokenValidationMode.Local)
    {
        TestServices = services => services.AddHttpClient("AuthServer.Revocations").ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, proxy.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }),
    };

    private static void Cut(DatabaseProxy proxy, string how)
    {
        if (how == "stalled")
        {
            proxy.Stall();
        }
        else
        {
            proxy.Refuse();
        }
    }

    private static async Task<TimeSpan> RefusedWithinAsync(HttpClient api, string token, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            using var response = await api.GetAsync("/invoices", token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                response.AssertInvalidToken();
                return clock.Elapsed;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"still accepted {limit} after the revocation");
        return limit;
    }

    /// <summary>Waits until the API's revocation check has <paramref name="status"/>; returns its description.</summary>
    private static async Task<string> WaitForHealthAsync(HttpClient api, string status)
    {
        var clock = Stopwatch.StartNew();
        string last = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            using var response = await api.GetAsync("/health", token: null);
            using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var check = health.RootElement.GetProperty("checks").GetProperty("authserver-revocations");
            last = check.GetProperty("description").GetString() ?? "";
            if (check.GetProperty("status").GetString() == status)
            {
                return last;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"the revocation check never became {status}; last: {last}");
        return last;
    }
}
