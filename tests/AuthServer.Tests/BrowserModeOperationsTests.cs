using System.Diagnostics;
using System.Net;
using AuthServer.Data;
using AuthServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests;

/// <summary>Browser requests are throttled per publishable key and per address, apart from the key's own limit.</summary>
public sealed class BrowserThrottlingTests(BrowserThrottlingTests.World world) : IClassFixture<BrowserThrottlingTests.World>
{
    private const string App = "https://app.example.com";

    public sealed class World() : TestWorld(new Dictionary<string, string?>
    {
        ["Browser:TokensPerAddress"] = "4",
        ["Browser:TokensPerPublishableKey"] = "6",
        ["Browser:Window"] = "00:00:30",
    });

    private async Task<string> PublishableKeyAsync()
    {
        var scope = $"thr-{Guid.NewGuid():N}"[..20];
        await world.CreateScopeAsync(scope, TestWorld.InvoicesApi);
        await world.Provision.SetPublishableAsync(scope, publishable: true);
        var key = await world.CreateKeyAsync([scope]);
        return (await world.Provision.SetAllowedOriginsAsync(key.Key.KeyId, App)).PublishableKey;
    }

    private Task<HttpResponseMessage> FromAsync(string publishableKey, string address)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = publishableKey }),
        };
        request.Headers.Add("Origin", App);
        request.Headers.Add(TestRemoteAddress.Header, address);
        return world.Http.SendAsync(request);
    }

    [Fact]
    public async Task One_address_is_refused_with_429_after_its_limit_and_another_address_still_gets_tokens()
    {
        var pk = await PublishableKeyAsync();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await FromAsync(pk, "198.51.100.1")).StatusCode);
        }

        using var throttled = await FromAsync(pk, "198.51.100.1");
        using var other = await FromAsync(pk, "198.51.100.2");

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(App, throttled.AllowedOrigin()); // the page can read why
        Assert.Equal("temporarily_unavailable", (await throttled.ReadJsonAsync()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task A_publishable_key_is_refused_after_its_limit_from_any_address()
    {
        var pk = await PublishableKeyAsync();
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await FromAsync(pk, $"203.0.113.{i + 1}")).StatusCode);
        }

        using var throttled = await FromAsync(pk, "203.0.113.99");

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await FromAsync(await PublishableKeyAsync(), "203.0.113.98")).StatusCode);
    }
}

/// <summary>Browser mode on two instances of one database, and the signing secret at rest.</summary>
public abstract class BrowserModeClusterTests(TestWorld a) : TwoInstanceTests(a)
{
    private const string App = "https://app.example.com";

    [Fact]
    public async Task A_key_revoked_on_one_instance_disables_its_publishable_key_on_the_other_within_a_second()
    {
        var (key, pk, _) = await BrowserKeyAsync();
        Assert.Equal(HttpStatusCode.OK, (await HttpB.RequestBrowserTokenAsync(pk, App)).StatusCode); // B has it cached

        await A.RevokeKeyAsync(key);
        var clock = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var response = await HttpB.RequestBrowserTokenAsync(pk, App);
            status = response.StatusCode;
            await Task.Delay(25); // a page does not hammer; the per-address browser limit (60 a minute) would answer 429 first
        }
        while (status == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(3));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"B still accepted the publishable key after {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task A_signing_secret_generated_through_one_instance_verifies_identity_tokens_on_the_other()
    {
        var (key, pk, _) = await BrowserKeyAsync();
        var secret = await A.Provision.GenerateSigningSecretAsync(key);
        var issuer = (await (await HttpB.GetAsync("/.well-known/oauth-authorization-server")).ReadJsonAsync()).GetProperty("issuer").GetString()!;

        using var response = await HttpB.ExchangeIdentityTokenAsync(pk, App, Browsers.IdentityToken(secret, issuer));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_signing_secret_is_stored_only_encrypted()
    {
        var (key, _, _) = await BrowserKeyAsync();
        var secret = await A.Provision.GenerateSigningSecretAsync(key);

        await using var scope = A.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var stored = await db.PublishableKeys.AsNoTracking().Where(p => p.KeyId == key).Select(p => p.ProtectedSigningSecret).SingleAsync();
        var audit = await db.AuditEntries.AsNoTracking().Where(e => e.Subject == key).ToListAsync();

        Assert.NotNull(stored);
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("authsk_", stored, StringComparison.Ordinal);
        Assert.Contains(audit, e => e.Action == "key.signing_secret_generated");
        Assert.All(audit, e => Assert.DoesNotContain(secret, e.Details ?? "", StringComparison.Ordinal));
        Assert.True(await db.DataProtectionKeys.AnyAsync(), "the Data Protection key ring is in the database");
    }

    private async Task<(string KeyId, string PublishableKey, string Scope)> BrowserKeyAsync()
    {
        var scope = $"clu-{Guid.NewGuid():N}"[..20];
        await A.CreateScopeAsync(scope, TestWorld.InvoicesApi);
        await A.Provision.SetPublishableAsync(scope, publishable: true);
        var key = await A.CreateKeyAsync([scope]);
        return (key.Key.KeyId, (await A.Provision.SetAllowedOriginsAsync(key.Key.KeyId, App)).PublishableKey, scope);
    }
}

public sealed class BrowserModeClusterTestsOnSqlite() : BrowserModeClusterTests(new TestWorld());

public sealed class BrowserModeClusterTestsOnPostgreSql() : BrowserModeClusterTests(new PostgresWorld());
